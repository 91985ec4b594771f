// `npm start`: runs drachtio-server-ts as a daemon and the example app beside it, prints where
// they listen and how to place a call, and stops both cleanly on Ctrl-C.
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const serverCli = join(
  dirname(require.resolve('drachtio-server-ts/package.json')),
  'dist',
  'cli.js',
);

const adminPort = process.env.DRACHTIO_ADMIN_PORT || '8022';
const sipPort = process.env.DRACHTIO_SIP_PORT || '5060';
const secret = process.env.DRACHTIO_SECRET || 'cymru';
const env = { ...process.env, DRACHTIO_ADMIN_PORT: adminPort, DRACHTIO_SECRET: secret };

const children = [];
let stopping = false;

function run(name, args) {
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = (line) => line && console.log(`${name} | ${line}`);
  child.stdout.on('data', (d) => String(d).split('\n').forEach(prefix));
  child.stderr.on('data', (d) => String(d).split('\n').forEach(prefix));
  child.on('exit', (code, signal) => {
    if (stopping) return;
    console.error(`${name} exited (${signal ?? code}); stopping`);
    shutdown(typeof code === 'number' && code !== 0 ? code : 1);
  });
  children.push(child);
  return child;
}

function shutdown(code = 0) {
  if (stopping) return;
  stopping = true;
  for (const child of children) child.kill('SIGTERM');
  Promise.all(
    children.map((c) => (c.exitCode !== null ? null : new Promise((r) => c.once('exit', r)))),
  ).then(() => process.exit(code));
}

process.on('SIGINT', () => shutdown(0));
process.on('SIGTERM', () => shutdown(0));

run('server', [
  serverCli,
  '--noconfig',
  '--address',
  '127.0.0.1',
  '--port',
  adminPort,
  '--secret',
  secret,
  '--contact',
  `sip:127.0.0.1:${sipPort};transport=udp,tcp`,
  '--loglevel',
  process.env.DRACHTIO_LOGLEVEL || 'info',
]);

// Start the app once the daemon's admin port accepts connections.
function whenListening(port, tries = 100) {
  return new Promise((resolve, reject) => {
    const attempt = (left) => {
      const socket = connect({ host: '127.0.0.1', port: Number(port) }, () => {
        socket.destroy();
        resolve();
      });
      socket.on('error', () => {
        socket.destroy();
        if (left === 0 || stopping) reject(new Error(`admin port ${port} never opened`));
        else setTimeout(() => attempt(left - 1), 100);
      });
    };
    attempt(tries);
  });
}

whenListening(adminPort).then(
  () => {
    run('app   ', [join(here, 'app.js')]);
    console.log(`
drachtio-server-ts: admin 127.0.0.1:${adminPort}, SIP 127.0.0.1:${sipPort} (UDP and TCP)
Place a call from another terminal:
  sipp -sn uac -m 1 127.0.0.1:${sipPort}
Register with digest authentication (user alice, password wonderland):
  sipp -sf examples/main/scenarios/register.xml -au alice -ap wonderland -s alice -m 1 127.0.0.1:${sipPort}
Press Ctrl-C to stop.
`);
  },
  (err) => {
    console.error(`start: ${err.message}`);
    shutdown(1);
  },
);
