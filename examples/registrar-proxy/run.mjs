// `node examples/registrar-proxy/run.mjs`: drachtio-server-ts, two instances of the registrar
// (bindings and digest nonce-counts in Redis when it answers on localhost:6379, else in one
// shared MemoryStore) and sipp:
//   1. eight REGISTERs with digest, alternating between the instances: every one gets 200;
//   2. 423 for a too brief expiry, then "Contact: *" removes the bindings;
//   3. bob registers and takes a call from sipp through the proxy (record-routed: BYE through it).
// Prints what each side did and exits 0 when every step succeeded.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { say, startTwoInstances } from './two-instances.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const { startSipp, runSipp } = require('drachtio-test-kit');
const { MemoryStore } = require('drachtio-session');
const drachtio = require('drachtio');

const SHARED = join(here, '..', '..', 'packages', 'drachtio', 'test', 'scenarios');
const scenario = (name, values = {}) => {
  const file = [join(here, 'scenarios', `${name}.xml`), join(SHARED, `${name}.xml`)].find((f) => {
    try {
      return readFileSync(f) && true;
    } catch {
      return false;
    }
  });
  return readFileSync(file, 'utf8').replace(/\{\{(\w+)\}\}/g, (_, k) => String(values[k]));
};

const redisAnswers = () =>
  new Promise((resolve) => {
    const socket = connect(
      { host: '127.0.0.1', port: 6379 },
      () => (socket.destroy(), resolve(true)),
    );
    socket.on('error', () => resolve(false));
  });

/** One store per instance on Redis (as separate processes would have), or one shared in memory. */
async function stores() {
  if (await redisAnswers()) {
    const RedisStore = require('drachtio-redis')(drachtio);
    const prefix = `registrar-example-${process.pid}:`;
    return { kind: 'Redis', make: () => new RedisStore({ host: '127.0.0.1', prefix }) };
  }
  const shared = new MemoryStore();
  return { kind: 'one shared MemoryStore', make: () => shared };
}

let ok = true;
const verdict = (what, result) => {
  const passed = result.exitCode === 0 && result.errors === '';
  ok &&= passed;
  say(
    'sipp',
    `${what}: ${passed ? 'call completed as scripted' : `FAILED (exit ${result.exitCode})\n${result.errors}`}`,
  );
};

const { kind, make } = await stores();
const registered = [0, 0];
const stack = await startTwoInstances((instance) => ({
  store: make(),
  users: { bob: 'builder', dhorton: 'foobar' },
  onRegister: (_req, answer) => answer.status === 200 && registered[instance]++,
}));
const sipHostport = stack.hostport;
const callees = [];
try {
  say('app', `two registrar instances connected (bindings in ${kind})`);

  const registers = await runSipp({
    scenario: scenario('uac-register-auth', { final: 200 }),
    remote: sipHostport,
    service: 'dhorton',
    calls: 8,
    args: ['-au', 'dhorton', '-ap', 'foobar'],
  });
  // Round robin: each challenge comes from one instance and its answer goes to the other.
  verdict(
    `8 REGISTERs with digest, challenged by one instance, accepted by the other (${registered.join(' + ')})`,
    registers,
  );
  if (registered[0] + registered[1] !== 8 || registered[1] === 0) {
    ok = false;
    say('app', `FAILED: expected 8 REGISTERs accepted, the other instance's challenges included`);
  }

  const bounds = await runSipp({
    scenario: scenario('register-bounds'),
    remote: sipHostport,
    service: 'dhorton',
    args: ['-au', 'dhorton', '-ap', 'foobar'],
  });
  verdict('423 Min-Expires, then Contact: * removes the bindings', bounds);

  // bob: one sipp takes his calls, another registers its address for him.
  const bob = await startSipp({
    scenario: scenario('proxy-uas-answer', { delay: 0, byeVia: 'branch=z9hG4bKdpx' }),
    service: 'bob',
  });
  callees.push(bob);
  const register = await runSipp({
    scenario: scenario('register-contact', { contact: bob.uri('bob') }),
    remote: sipHostport,
    service: 'bob',
    args: ['-au', 'bob', '-ap', 'builder'],
  });
  verdict(`bob registered ${bob.uri('bob')}`, register);
  const caller = await runSipp({
    scenario: scenario('proxy-uac-call'),
    remote: sipHostport,
    service: 'bob',
  });
  verdict('caller: INVITE sip:bob proxied to his binding, BYE along the Record-Route', caller);
  verdict('bob: answered, got the BYE through the proxy', await bob.done);
} finally {
  for (const sipp of callees) await sipp.kill();
  await stack.close();
}
process.exit(ok ? 0 : 1);
