// `node examples/registrar-proxy/baresip.mjs`: real SIP clients through the example. Two
// headless baresip instances (Debian's baresip: no sound card, aubridge's null device both ways,
// driven over its ctrl_tcp module) register alice and bob with digest through two registrar
// instances, alice calls bob, bob auto-answers, alice hangs up: the BYE goes through the proxy.
// Exits 0 when every step happened; prints why not otherwise. Needs baresip on PATH.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { say, startTwoInstances } from './two-instances.mjs';

const require = createRequire(import.meta.url);
const { freePort } = require('drachtio-test-kit');
const { MemoryStore } = require('drachtio-session');

const STEP_TIMEOUT = 10_000;

if (spawnSync('baresip', ['-h']).error) {
  console.error('baresip is not installed (apt-get install baresip)');
  process.exit(1);
}

/** One headless baresip: config dir, process, and its ctrl_tcp events. */
async function startBaresip(name, user, password, serverHostport) {
  const dir = mkdtempSync(join(tmpdir(), `baresip-${name}-`));
  const [sip, ctrl] = [await freePort('both'), await freePort('tcp')];
  writeFileSync(
    join(dir, 'config'),
    [
      'poll_method epoll',
      `sip_listen 127.0.0.1:${sip}`,
      // No sound card: aubridge's null device both ways.
      'audio_player aubridge,nil',
      'audio_source aubridge,nil',
      'audio_alert aubridge,nil',
      'module_path /usr/lib/baresip/modules',
      'module g711.so',
      'module aubridge.so',
      'module_app account.so',
      'module_app menu.so',
      'module_app ctrl_tcp.so',
      `ctrl_tcp_listen 127.0.0.1:${ctrl}`,
      '',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'accounts'),
    `<sip:${user}@${serverHostport}>;auth_pass=${password};answermode=auto;regint=300\n`,
  );
  const child = spawn('baresip', ['-f', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (chunk) => (log += chunk));
  child.stderr.on('data', (chunk) => (log += chunk));
  const events = [];
  const waiters = [];
  let socket;
  for (let attempt = 0; attempt < 50 && !socket; attempt++) {
    socket = await new Promise((resolve) => {
      const s = connect({ host: '127.0.0.1', port: ctrl }, () => resolve(s));
      s.on('error', () => resolve(undefined));
    });
    if (!socket) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (!socket) throw new Error(`${name}: baresip's ctrl_tcp never listened\n${log}`);
  let buffer = '';
  socket.on('data', (chunk) => {
    buffer += chunk;
    // Netstrings: <length>:<json>,
    for (
      let m = /^(\d+):/.exec(buffer);
      m && buffer.length >= m[0].length + Number(m[1]) + 1;
      m = /^(\d+):/.exec(buffer)
    ) {
      const json = buffer.slice(m[0].length, m[0].length + Number(m[1]));
      buffer = buffer.slice(m[0].length + Number(m[1]) + 1);
      const message = JSON.parse(json);
      if (message.event) events.push(message);
      for (const waiter of [...waiters]) waiter();
    }
  });
  return {
    name,
    sipPort: sip,
    log: () => log,
    command(command, params = '') {
      const json = JSON.stringify({ command, params, token: command });
      socket.write(`${Buffer.byteLength(json)}:${json},`);
    },
    /** Registered: said on its console (the REGISTER_OK event may come before ctrl_tcp is connected). */
    async registered() {
      const deadline = Date.now() + STEP_TIMEOUT;
      while (!/\{0\/UDP\/v4\} 200 OK \(\) \[1 binding\]/.test(log)) {
        if (Date.now() > deadline)
          throw new Error(`${name}: not registered within ${STEP_TIMEOUT} ms`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    /** Resolves with the first event of this type (past or future); rejects after STEP_TIMEOUT. */
    event(type) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find((e) => e.type === type);
          if (!found) return false;
          waiters.splice(waiters.indexOf(check), 1);
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(check), 1);
          reject(
            new Error(
              `${name}: no ${type} within ${STEP_TIMEOUT} ms (events: ${events.map((e) => e.type).join(', ')})`,
            ),
          );
        }, STEP_TIMEOUT);
        waiters.push(check);
        check();
      });
    },
    async stop() {
      socket.destroy();
      child.kill('SIGTERM');
      await new Promise((resolve) =>
        child.exitCode !== null ? resolve() : child.once('exit', resolve),
      );
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const store = new MemoryStore();
const proxied = [];
const stack = await startTwoInstances(() => ({
  store,
  users: { alice: 'wonderland', bob: 'builder' },
  onProxy: (_req, result) => proxied.push(result),
}));
const { hostport } = stack;
const phones = [];
let ok = false;
try {
  const alice = await startBaresip('alice', 'alice', 'wonderland', hostport);
  const bob = await startBaresip('bob', 'bob', 'builder', hostport);
  phones.push(alice, bob);
  await Promise.all([alice.registered(), bob.registered()]);
  say('baresip', 'alice and bob registered (digest) through the registrar');
  alice.command('dial', `sip:bob@${hostport}`);
  await Promise.all([alice.event('CALL_ESTABLISHED'), bob.event('CALL_ESTABLISHED')]);
  say('baresip', 'alice called sip:bob: proxied to his binding, bob answered');
  await new Promise((resolve) => setTimeout(resolve, 500));
  alice.command('hangup');
  await bob.event('CALL_CLOSED');
  say('baresip', 'alice hung up: the BYE reached bob through the proxy');
  ok = proxied.length === 1 && proxied[0].finalStatus === 200;
  say(
    'app',
    ok
      ? 'proxy outcome: 200 from bob; call completed as scripted'
      : `FAILED: proxy outcomes ${JSON.stringify(proxied)}`,
  );
} catch (error) {
  say('baresip', `FAILED: ${error.message}`);
  for (const phone of phones) console.log(`--- ${phone.name}'s log ---\n${phone.log()}`);
} finally {
  for (const phone of phones) await phone.stop();
  await stack.close();
}
process.exit(ok ? 0 : 1);
