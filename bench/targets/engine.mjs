// The SIP engine alone, answered through its internal control API (SipEngine) in the same
// process: no admin connection, no framing, no JSON. Against target (a) this shows what the
// wire and the application framework cost per call.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { ANSWER_SDP, reportReady, serveRunner } from './control.mjs';

const Engine = await loadEngine();
// sipp is a trusted load generator: exempt from the per-source abuse limits, as in server.mjs.
const engine = new Engine({
  contacts: ['sip:127.0.0.1:0;transport=udp'],
  protection: { exempt: ['127.0.0.1'] },
});
const counted = { invites: 0, answered: 0, byes: 0, failures: 0 };

engine.on('request', (request) => {
  switch (request.method) {
    case 'INVITE':
      counted.invites++;
      answer(request, {
        status: 200,
        headers: { 'content-type': 'application/sdp' },
        body: ANSWER_SDP,
      });
      break;
    case 'BYE':
      counted.byes++;
      answer(request, { status: 200 });
      break;
    case 'ACK':
      break; // the engine matched it to our 2xx already; nothing to answer
    default:
      answer(request, { status: 405 });
  }
});

function answer(request, response) {
  engine.respond({ transactionId: request.transactionId, ...response }).then(
    () => response.status === 200 && request.method === 'INVITE' && counted.answered++,
    () => counted.failures++,
  );
}

await engine.start();
serveRunner({ counters: () => counted, stop: () => engine.stop() });
reportReady({ sip: /^sips?:([^;>]+)/.exec(engine.contacts[0])[1] });

/** The Engine class: from the package index when exported there, else from its module file. */
async function loadEngine() {
  const { default: pkg } = await import('drachtio-server-ts');
  if (pkg.Engine) return pkg.Engine;
  const require = createRequire(import.meta.url);
  const dist = join(
    dirname(require.resolve('drachtio-server-ts/package.json')),
    'dist',
    'engine.js',
  );
  const mod = await import(dist);
  return mod.Engine ?? mod.default.Engine;
}
