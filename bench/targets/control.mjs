// The runner's side channel into a process under test (see lib/node-process.mjs).
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { GCProfiler, writeHeapSnapshot } from 'node:v8';

let profiler;

/**
 * Answer the runner's commands. `counters()` returns what the target counted so far;
 * `stop()` closes everything the target opened, after which the process exits normally.
 */
export function serveRunner({ counters = () => ({}), stop }) {
  process.on('message', async (message) => {
    const reply = (data) => process.send({ ...data, id: message.id });
    switch (message.type) {
      case 'memory':
        reply(measureMemory(message.gc !== false));
        break;
      case 'counters':
        reply(counters());
        break;
      case 'snapshot':
        global.gc?.();
        reply({ path: writeHeapSnapshot(message.path) });
        break;
      case 'cpu-profile-start':
        profiler = new Session();
        profiler.connect();
        await post('Profiler.enable');
        await post('Profiler.start');
        reply({});
        break;
      case 'cpu-profile-stop': {
        const { profile } = await post('Profiler.stop');
        profiler.disconnect();
        writeFileSync(message.path, JSON.stringify(profile));
        reply({ path: message.path });
        break;
      }
      case 'stop':
        await stop();
        process.exit(0);
    }
  });
}

// A runner that dies (Ctrl-C) closes the channel: do not outlive it.
process.once('disconnect', () => process.exit(0));

/**
 * The V8 CPU profiler (what node --cpu-prof runs), started and stopped on request so the
 * profile covers the load only, not start-up and warm-up.
 */
function post(method) {
  return new Promise((resolve, reject) =>
    profiler.post(method, (error, result) => (error ? reject(error) : resolve(result))),
  );
}

export function reportReady(info) {
  process.send({ type: 'ready', ...info });
}

/**
 * Memory once garbage is gone: run a full GC twice (the second sweeps what finalizers freed).
 * Without `collect`, memory as it is (a soak under load must not stall the process it measures),
 * plus the heap V8's own last full collection since the previous reading left behind: the live
 * data, read without forcing anything.
 */
function measureMemory(collect) {
  if (collect) {
    global.gc?.();
    global.gc?.();
  }
  const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
  const reading = {
    rss,
    heapUsed,
    heapTotal,
    external,
    arrayBuffers,
    gc: typeof global.gc === 'function',
  };
  return collect ? reading : { ...reading, heapAfterFullGc: heapAfterLastFullGc() };
}

let gcWatch;

/** usedHeapSize after the last mark-compact since the previous call; undefined when none ran. */
function heapAfterLastFullGc() {
  const collections = gcWatch?.stop().statistics ?? [];
  gcWatch = new GCProfiler();
  gcWatch.start();
  const full = collections.filter((c) => c.gcType === 'MarkSweepCompact').at(-1);
  return full?.afterGC.heapStatistics.usedHeapSize;
}

/** The SDP the answering targets send: the seed's example, one audio stream. */
export const ANSWER_SDP = [
  'v=0',
  'o=drachtio 1 1 IN IP4 127.0.0.1',
  's=drachtio-ts bench',
  'c=IN IP4 127.0.0.1',
  't=0 0',
  'm=audio 40000 RTP/AVP 0',
  'a=rtpmap:0 PCMU/8000',
  '',
].join('\r\n');

/** `--name value` pairs from argv. */
export function argValue(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : fallback;
}
