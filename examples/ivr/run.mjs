// `node examples/ivr/run.mjs`: the whole IVR on one machine, in one command.
//   - drachtio-server-ts, in-process, on free ports;
//   - the MSML media-server simulator, as its own process (its command line prints the SIP);
//   - the IVR app (app.js), in-process;
//   - sipp as the caller, one call.
// Every line says where it comes from. Exits 0 when the caller was answered by the media
// server, the digits the simulator keys (--digits, default 4711#) reached the app, and the
// call ended cleanly; non-zero otherwise.
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const { createServer } = require('drachtio-server-ts');
const { startSipp } = require('drachtio-test-kit');
const ivr = require('./app.js');
const simulatorCli = join(
  dirname(require.resolve('drachtio-msml/package.json')),
  'dist',
  'simulator',
  'cli.js',
);

const DIGITS = process.env.IVR_DIGITS ?? '4711#';
const SECRET = 'cymru';
const say = (source) => (text) => {
  for (const line of String(text).trimEnd().split('\n'))
    console.log(`${source.padEnd(6)}| ${line}`);
};

const cleanup = [];
async function shutdown(code) {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
  process.exit(code);
}
process.on('SIGINT', () => shutdown(130));

try {
  const server = await createServer({
    secret: SECRET,
    contacts: ['sip:127.0.0.1:0;transport=udp'],
    admin: { address: '127.0.0.1', port: 0 },
    logLevel: 'warn',
  });
  cleanup.push(() => server.close());
  const sipHostport = /^sip:([^;]+)/.exec(server.sipContacts[0])[1];
  say('server')(
    `drachtio-server-ts: SIP on ${sipHostport} (udp), applications on 127.0.0.1:${server.adminAddress.port}`,
  );

  const { hostport: mediaServer, released } = await startSimulator();
  const heard = [];
  const app = ivr.start({
    drachtio: { host: '127.0.0.1', port: server.adminAddress.port, secret: SECRET },
    mediaServer,
    log: (line) => {
      heard.push(line);
      say('ivr')(line);
    },
  });
  cleanup.push(async () => app.disconnect());
  await new Promise((resolve, reject) =>
    app.once('connect', (err) => (err ? reject(err) : resolve())),
  );

  const trace = join(tmpdir(), `ivr-sipp-${process.pid}.log`);
  cleanup.push(async () => rmSync(trace, { force: true }));
  const sipp = await startSipp({
    scenario: join(here, 'caller.xml'),
    remote: sipHostport,
    service: 'ivr',
    timeoutMs: 20000,
    args: ['-trace_msg', '-message_file', trace],
  });
  say('sipp')(`sipp calls sip:ivr@${sipHostport} from ${sipp.hostport}`);
  const result = await sipp.done;
  say('sipp')(readFileSync(trace, 'utf8').replace(/\r/g, ''));
  say('sipp')(
    `sipp: ${result.successfulCalls} successful call(s), ${result.failedCalls} failed${result.errors ? `\n${result.errors}` : ''}`,
  );

  // sipp is done once its own leg is hung up; the media server's leg is released right after.
  const mediaLegReleased = await Promise.race([released, delay(5000).then(() => false)]);
  if (!mediaLegReleased) say('run')('the media server did not receive a BYE within 5 s');

  const expected = `ivr: caller entered ${DIGITS.replace(/#$/, '')}`;
  const ok = result.exitCode === 0 && heard.includes(expected) && mediaLegReleased;
  say('run')(
    ok
      ? `OK: ${expected.slice(5)}`
      : `FAILED: expected "${expected}" and the media server leg released`,
  );
  await shutdown(ok ? 0 : 1);
} catch (error) {
  say('run')(`FAILED: ${error.stack ?? error}`);
  await shutdown(1);
}

/**
 * Start the simulator's command line on a free port; resolves with its host:port and a promise
 * that resolves (true) when the simulator's SIP trace shows the BYE releasing its leg.
 */
function startSimulator() {
  const child = spawn(
    process.execPath,
    [simulatorCli, '--port', '0', '--digits', DIGITS, '--play-ms', '300', '--sip-trace', '--quiet'],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  cleanup.push(
    () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  );
  const print = say('ms');
  let onBye;
  const released = new Promise((resolve) => (onBye = () => resolve(true)));
  return new Promise((resolve, reject) => {
    let pending = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      pending += chunk;
      const lines = pending.split('\n');
      pending = lines.pop();
      for (const line of lines) {
        print(line);
        const listening = /listening on sip:msml@([\d.]+:\d+)/.exec(line);
        if (listening) resolve({ hostport: listening[1], released });
        if (/^BYE sip:msml@/.test(line)) onBye();
      }
    });
    child.once('exit', (code) =>
      reject(new Error(`the simulator exited (${code}) before it listened`)),
    );
  });
}
