// `npm start` here (or `node examples/webrtc/run.mjs` after `npm run bundle`): the server with a
// WSS contact, the app and the page, for a person with a browser. Certificates: --cert-file and
// --key-file (e.g. a real one for this host), else a CA and certificate made now for localhost.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const { startDemo } = require('./demo.js');

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    'wss-port': { type: 'string', default: '8443' },
    'page-port': { type: 'string', default: '8080' },
    'cert-file': { type: 'string' },
    'key-file': { type: 'string' },
  },
});

let cert;
let key;
if (values['cert-file'] && values['key-file']) {
  cert = readFileSync(values['cert-file']);
  key = readFileSync(values['key-file']);
} else {
  const { createTestCa } = require('drachtio-test-kit');
  const ca = createTestCa();
  cert = ca.read(ca.serverCert);
  key = ca.read(ca.serverKey);
  console.log(
    `A certificate for localhost, 127.0.0.1 and ::1 was made for this run; its CA is ${ca.caCert}.`,
  );
}

const demo = await startDemo({
  cert,
  key,
  host: values.host,
  wssPort: Number(values['wss-port']),
  pagePort: Number(values['page-port']),
  logLevel: 'info',
});
const wss = new URL(
  decodeURIComponent(new URL(demo.pageUrl).searchParams.get('ws')),
).origin.replace('wss:', 'https:');
console.log(`
Open ${demo.pageUrl}&user=alice
(the certificate is not trusted by your browser: accept it there, and once at ${wss}/ too,
which answers "426 Upgrade Required": that is the WebSocket port.)
Press Call to call the app, Hang up to end it. Type "call <user>" here to have the app call a
registered browser, "bye" to hang it up; Ctrl-C stops everything.`);

let call;
process.stdin.setEncoding('utf8');
process.stdin.on('data', (line) => {
  const [command, user] = line.trim().split(/\s+/);
  if (command === 'bye' && call) return void demo.hangUp(call).then(() => console.log('hung up'));
  if (command !== 'call' || !user) return console.log('commands: call <user>, bye');
  demo.callBrowser(user).then(
    (dialogId) => {
      call = dialogId;
      console.log(`${user} answered; type "bye" to hang up`);
    },
    (err) => console.log(`call failed: ${err.message}`),
  );
});
process.on('SIGINT', () => demo.close().then(() => process.exit(0)));
