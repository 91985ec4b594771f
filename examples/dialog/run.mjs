// `node examples/dialog/run.mjs`: the seed's dialog snippet end to end, on one machine.
//   - Redis on 127.0.0.1:6379 (started from redis-server when none answers);
//   - drachtio-server-ts in-process on free ports;
//   - app.js (the snippet) as its own process, as an application runs;
//   - sipp calls it, talks for a moment and hangs up.
// Every line says where it comes from. Exits 0 when the app printed
// "dialog was terminated due to normal far end release", non-zero otherwise.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const { createServer } = require('drachtio-server-ts');
const { ensureRedis, startSipp } = require('drachtio-test-kit');
const CALLER = join(
  dirname(require.resolve('drachtio-dialog/package.json')),
  'test',
  'scenarios',
  'caller-hangs-up.xml',
);
const EXPECTED = 'dialog was terminated due to normal far end release';

const say = (source) => (text) => {
  for (const line of String(text).trimEnd().split('\n'))
    console.log(`${source.padEnd(6)}| ${line}`);
};

const cleanup = [];
async function finish(code) {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
  process.exit(code);
}
process.on('SIGINT', () => finish(130));

try {
  const stopRedis = await ensureRedis();
  if (stopRedis) cleanup.push(stopRedis);

  const server = await createServer({
    secret: 'cymru',
    contacts: ['sip:127.0.0.1:0;transport=udp'],
    admin: { address: '127.0.0.1', port: 0 },
    logLevel: 'warn',
  });
  cleanup.push(() => server.close());
  const sipHostport = /^sip:([^;]+)/.exec(server.sipContacts[0])[1];
  say('server')(
    `drachtio-server-ts: SIP on ${sipHostport}, applications on 127.0.0.1:${server.adminAddress.port}`,
  );

  const app = spawn(process.execPath, [join(here, 'app.js')], {
    cwd: here,
    stdio: ['ignore', 'pipe', 'inherit'],
    env: {
      ...process.env,
      DRACHTIO_HOST: '127.0.0.1',
      DRACHTIO_PORT: String(server.adminAddress.port),
      REDIS_HOST: '127.0.0.1',
      REDIS_PREFIX: `drachtio-example-dialog:${process.pid}:`,
    },
  });
  cleanup.push(async () => app.kill());
  const lines = createInterface({ input: app.stdout });
  const printed = [];
  const waiters = [];
  lines.on('line', (line) => {
    say('app')(line);
    printed.push(line);
    for (const waiter of waiters.splice(0)) waiter();
  });
  const appSays = (predicate, what, timeoutMs = 15000) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the app never printed ${what}`)), timeoutMs);
      const check = () => {
        const line = printed.find(predicate);
        if (line !== undefined) {
          clearTimeout(timer);
          resolve(line);
        } else waiters.push(check);
      };
      check();
    });

  await appSays((line) => line === 'connected', '"connected"');
  const sipp = await startSipp({ scenario: CALLER, remote: sipHostport, service: 'bob' });
  say('sipp')(`sipp calls sip:bob@${sipHostport} from ${sipp.hostport}, then hangs up`);
  const result = await sipp.done;
  say('sipp')(
    `${result.successfulCalls} successful call(s), ${result.failedCalls} failed${result.errors ? `\n${result.errors}` : ''}`,
  );

  const ended = await appSays(
    (line) => line.startsWith('dialog was terminated due to '),
    'why the dialog ended',
  );
  const ok = result.exitCode === 0 && ended === EXPECTED;
  say('run')(ok ? `OK: ${ended}` : `FAILED: expected "${EXPECTED}"`);
  await finish(ok ? 0 : 1);
} catch (error) {
  say('run')(`FAILED: ${error.stack ?? error}`);
  await finish(1);
}
