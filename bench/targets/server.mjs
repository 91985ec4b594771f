// drachtio-server-ts in its own process, as the daemon runs it: SIP on UDP, the admin port for
// applications, both on ephemeral ports. Logging at 'warn' so the measurement is of the work,
// not of writing a log line per message. With --tls-cert and --tls-key (the transports section),
// SIP also on TCP (same port as UDP) and TLS.
import { readFileSync } from 'node:fs';
import serverPackage from 'drachtio-server-ts';
import { argValue, reportReady, serveRunner } from './control.mjs';

const cert = argValue('tls-cert');
const tls = cert && { cert: readFileSync(cert), key: readFileSync(argValue('tls-key')) };

const server = await serverPackage.createServer({
  secret: argValue('secret', 'bench'),
  contacts: tls
    ? ['sip:127.0.0.1:0;transport=udp,tcp', 'sip:127.0.0.1:0;transport=tls']
    : ['sip:127.0.0.1:0;transport=udp'],
  admin: { address: '127.0.0.1', port: 0 },
  logLevel: argValue('log-level', 'warn'),
  // sipp is a trusted load generator here, like an SBC in front of the server: the per-source
  // abuse limits (rate, in-flight transactions) would otherwise refuse the load being measured.
  // BENCH_OVERLOAD=off: without overload control, to compare what the control costs and sheds.
  sip: {
    protection: { exempt: ['127.0.0.1'] },
    ...(process.env.BENCH_OVERLOAD === 'off' && { overload: { enabled: false } }),
    ...(tls && { tls }),
  },
});

serveRunner({ stop: () => server.close() });
reportReady({
  admin: `${server.adminAddress.address}:${server.adminAddress.port}`,
  sip: hostport(server.sipContacts[0]),
  // Every contact as bound, e.g. 'sip:127.0.0.1:40123;transport=tls'.
  contacts: server.sipContacts,
});

/** 'sip:127.0.0.1:5060;transport=udp' -> '127.0.0.1:5060' */
function hostport(contact) {
  return /^sips?:([^;>]+)/.exec(contact)[1];
}
