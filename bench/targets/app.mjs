// The drachtio application under test, in its own process, connected to the server's admin port.
//   --mode uas    the seed's simplest app: INVITE -> 200 with SDP, BYE -> 200
//   --mode b2bua  every INVITE goes on to --far-end as a new call, bridged with uac().pipe(res)
//   --mode proxy  every INVITE is proxied to --far-end by the server (req.proxy, Record-Route)
import drachtio from 'drachtio';
import { ANSWER_SDP, argValue, reportReady, serveRunner } from './control.mjs';

const [host, port] = argValue('admin').split(':');
const mode = argValue('mode', 'uas');
const farEnd = argValue('far-end');
const counted = { invites: 0, answered: 0, byes: 0, failures: 0 };

const app = drachtio();

if (mode === 'proxy') {
  // The server proxies, forks nothing (one destination), retransmits and routes the BYE itself.
  app.invite((req) => {
    counted.invites++;
    req.proxy(`sip:service@${farEnd}`, { recordRoute: true }).then(
      (result) => (result.connected ? counted.answered++ : counted.failures++),
      () => counted.failures++,
    );
  });
} else if (mode === 'b2bua') {
  app.invite((req, res) => {
    counted.invites++;
    const outbound = app.uac(`sip:service@${farEnd}`, {
      headers: { 'content-type': 'application/sdp' },
      body: req.body,
    });
    outbound.on('success', () => counted.answered++);
    outbound.on('fail', () => counted.failures++);
    outbound.pipe(res);
  });
} else {
  app.invite((req, res) => {
    counted.invites++;
    res.send(200, { headers: { 'content-type': 'application/sdp' }, body: ANSWER_SDP });
    counted.answered++;
  });
  app.bye((req, res) => {
    counted.byes++;
    res.send(200);
  });
}

// A lost wire connection turns every call after it into a failure: say when and why.
// (Wire warnings, such as an unanswered ping, go to stderr by themselves.)
app.on('disconnect', (err) =>
  console.error(`app: ${new Date().toISOString()} disconnected: ${err?.message ?? 'closed'}`),
);
app.on('reconnecting', () => console.error(`app: ${new Date().toISOString()} reconnecting`));

app.connect({ host, port: Number(port), secret: argValue('secret', 'bench') }, (err) => {
  if (err) {
    console.error(`app: cannot connect: ${err.message}`);
    process.exit(1);
  }
  serveRunner({
    counters: () => counted,
    stop: () => app.disconnect(),
  });
  reportReady({ mode });
});
