/**
 * The transports' flags, environment and config keys (named as the C++ drachtio-server names
 * them), and the daemon listening on TLS, WS and WSS from its command line.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:tls';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestCa, type TestCa } from 'drachtio-test-kit';
import { loadConfig } from '../../src/config';
import { parseListenContact } from '../../src/transport/contact';
import { CliProcess, cleanEnv } from './run-cli';

let ca: TestCa;
beforeAll(() => (ca = createTestCa()));
afterAll(() => ca.remove());

describe('listening contacts', () => {
  it.each([
    ['sip:1.2.3.4:5061;transport=tls', { host: '1.2.3.4', port: 5061, transports: ['tls'] }],
    ['sips:1.2.3.4', { host: '1.2.3.4', port: 5061, transports: ['tls'] }],
    ['sip:1.2.3.4:8443;transport=wss', { host: '1.2.3.4', port: 8443, transports: ['wss'] }],
    ['sip:1.2.3.4:8080;transport=ws', { host: '1.2.3.4', port: 8080, transports: ['ws'] }],
    ['sip:[::1]:5061;transport=tls', { host: '::1', port: 5061, transports: ['tls'], ipv6: true }],
  ])('reads %s as the C++ server does', (contact, expected) => {
    expect(parseListenContact(contact)).toMatchObject(expected);
  });

  it.each([
    ['sip:1.2.3.4;transport=tcp,tls', /tls, ws and wss each need a contact of their own/],
    ['sips:1.2.3.4;transport=udp', /a sips: contact is tls or wss/],
  ])('refuses %s', (contact, message) => {
    expect(() => parseListenContact(contact)).toThrow(message);
  });
});

describe('TLS, keepalive and WebSocket settings', () => {
  it('reads --cert-file, --key-file, --chain-file, --min-tls-version and --tcp-keepalive-interval', () => {
    const config = loadConfig(
      {
        secret: 's',
        contact: ['sip:127.0.0.1:5061;transport=tls'],
        certFile: ca.serverCert,
        keyFile: ca.serverKey,
        chainFile: ca.caCert,
        minTlsVersion: '1.3',
        tcpKeepaliveInterval: '25',
        wsAllowedOrigin: ['https://a.example', 'https://b.example'],
      },
      {},
      [],
    );
    expect(config.sip?.tls?.cert).toEqual(ca.read(ca.serverCert));
    expect(config.sip?.tls?.chain).toEqual(ca.read(ca.caCert));
    expect(config.sip?.tls?.minVersion).toBe('TLSv1.3');
    expect(config.sip?.tcpKeepaliveInterval).toBe(25);
    expect(config.sip?.websocket?.allowedOrigins).toEqual([
      'https://a.example',
      'https://b.example',
    ]);
  });

  it('reads the C++ server environment names and the config file, flags first', () => {
    const dir = mkdtempSync(join(tmpdir(), 'drachtio-transport-config-'));
    const file = join(dir, 'config.json');
    writeFileSync(
      file,
      JSON.stringify({
        secret: 's',
        sip: {
          tls: {
            certFile: ca.serverCert,
            keyFile: ca.serverKey,
            minVersion: 'TLSv1.2',
            verifyClient: true,
            caFile: ca.caCert,
          },
          websocket: { allowedOrigins: ['https://file.example'], maxMessageSize: 2048 },
          tcpKeepaliveInterval: 10,
          tcpIdleTimeout: 5000,
        },
      }),
    );
    const env = { DRACHTIO_MIN_TLS_VERSION: 'TLSv1.3', DRACHTIO_TCP_KEEPALIVE_INTERVAL: '20' };
    const config = loadConfig({ file }, env, []);
    expect(config.sip).toMatchObject({
      tls: { minVersion: 'TLSv1.3', verifyClient: true, ca: ca.read(ca.caCert) },
      websocket: { allowedOrigins: ['https://file.example'], maxMessageSize: 2048 },
      tcpKeepaliveInterval: 20,
      tcpIdleTimeout: 5000,
    });
    expect(loadConfig({ file, tcpKeepaliveInterval: '0' }, env, []).sip?.tcpKeepaliveInterval).toBe(
      0,
    );
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    [
      { certFile: '/nonexistent.pem', keyFile: '/nonexistent.key' },
      /cannot read TLS file \/nonexistent\.pem: ENOENT/,
    ],
    [{ certFile: 'x.pem' }, /needs both --cert-file and --key-file/],
    [{ minTlsVersion: '2.0' }, /invalid minimum TLS version '2\.0'/],
    [{ tcpKeepaliveInterval: 'soon' }, /invalid TCP keepalive interval 'soon'/],
  ])('refuses bad settings %#', (flags, message) => {
    expect(() => loadConfig({ secret: 's', ...flags }, {}, [])).toThrow(message);
  });
});

it('the daemon listens on TLS, WS and WSS from its command line', async () => {
  const daemon = new CliProcess(
    [
      '--secret',
      's',
      '--address',
      '127.0.0.1',
      '-p',
      '0',
      '--noconfig',
      '-c',
      'sip:127.0.0.1:0;transport=tls',
      '-c',
      'sip:127.0.0.1:0;transport=ws',
      '-c',
      'sip:127.0.0.1:0;transport=wss',
      '--cert-file',
      ca.serverCert,
      '--key-file',
      ca.serverKey,
      '--tcp-keepalive-interval',
      '30',
    ],
    cleanEnv(),
  );
  try {
    const line = await daemon.logLine('SIP engine listening');
    const contacts = line.contacts as string[];
    expect(contacts).toEqual([
      expect.stringMatching(/^sip:127\.0\.0\.1:\d+;transport=tls$/),
      expect.stringMatching(/^sip:127\.0\.0\.1:\d+;transport=ws$/),
      expect.stringMatching(/^sip:127\.0\.0\.1:\d+;transport=wss$/),
    ]);
    const port = Number(/:(\d+);/.exec(contacts[0])?.[1]);
    const socket = connect({ host: '127.0.0.1', port, ca: ca.read(ca.caCert) });
    await new Promise((resolve, reject) =>
      socket.once('secureConnect', resolve).once('error', reject),
    );
    expect(socket.authorized).toBe(true);
    socket.destroy();
  } finally {
    daemon.child.kill('SIGTERM');
    await daemon.exited;
  }
});
