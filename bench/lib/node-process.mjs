// Processes under test are node scripts in targets/, forked with an IPC channel so the runner
// can ask them to collect garbage and report memory, write a heap snapshot or a CPU profile,
// report their counters, and stop.
import { fork } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const targets = join(dirname(fileURLToPath(import.meta.url)), '..', 'targets');
const READY_TIMEOUT_MS = 20000;
const REPLY_TIMEOUT_MS = 120000;

/** Fork targets/<script> and resolve once it sent 'ready' (with whatever it reports: ports, ...). */
export async function startTarget(name, script, args = []) {
  // BENCH_NODE_FLAGS: more node/V8 flags for every target (e.g. --trace-gc, with BENCH_LOG_DIR).
  const flags = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  const child = fork(join(targets, script), args, {
    execArgv: ['--expose-gc', ...flags],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  const keep = (chunk) => (output = (output + chunk).slice(-8000));
  child.stdout.setEncoding('utf8').on('data', keep);
  child.stderr.setEncoding('utf8').on('data', keep);
  // BENCH_LOG_DIR=<dir>: every target's whole output in <dir>/<name>-<pid>.log, to find out why a step failed.
  if (process.env.BENCH_LOG_DIR) {
    const file = createWriteStream(join(process.env.BENCH_LOG_DIR, `${name}-${child.pid}.log`));
    child.stdout.pipe(file);
    child.stderr.pipe(file);
  }
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? code)),
  );

  const pending = new Map();
  let nextId = 1;
  let ready;
  const readyReport = new Promise((resolve) => (ready = resolve));
  child.on('message', (message) => {
    if (message.type === 'ready') ready(message);
    const waiter = pending.get(message.id);
    if (waiter) {
      pending.delete(message.id);
      waiter(message);
    }
  });

  // The message names the process and its last error line; the output's tail goes in `detail`.
  const failure = (what) => () => {
    const tail = output.trim().split('\n').slice(-15);
    const reason = tail.filter((line) => /error/i.test(line)).pop() ?? tail.pop() ?? '';
    return Object.assign(new Error(`${name}: ${what}${reason ? `: ${reason.trim()}` : ''}`), {
      detail: tail.join('\n'),
    });
  };
  const info = await raceWith(
    readyReport,
    exited,
    READY_TIMEOUT_MS,
    failure('exited or timed out before it was ready'),
  );

  /** Send a command and wait for the reply carrying the same id. */
  function ask(type, payload = {}) {
    const id = nextId++;
    const reply = new Promise((resolve) => pending.set(id, resolve));
    child.send({ ...payload, type, id });
    return raceWith(reply, exited, REPLY_TIMEOUT_MS, failure(`no reply to '${type}'`));
  }

  return {
    name,
    pid: child.pid,
    info,
    ask,
    /**
     * rss, heapUsed, heapTotal, external, arrayBuffers: after a forced garbage collection, or
     * as they are with `{ gc: false }`.
     */
    memory: ({ gc = true } = {}) => ask('memory', { gc }),
    counters: () => ask('counters'),
    heapSnapshot: (path) => ask('snapshot', { path }),
    startCpuProfile: () => ask('cpu-profile-start'),
    stopCpuProfile: (path) => ask('cpu-profile-stop', { path }),
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.send({ type: 'stop' });
      const force = setTimeout(() => child.kill('SIGKILL'), 10000);
      await exited;
      clearTimeout(force);
    },
  };
}

function raceWith(promise, exited, timeoutMs, error) {
  let timer;
  return Promise.race([
    promise,
    exited.then(() => Promise.reject(error())),
    new Promise((_, reject) => (timer = setTimeout(() => reject(error()), timeoutMs))),
  ]).finally(() => clearTimeout(timer));
}
