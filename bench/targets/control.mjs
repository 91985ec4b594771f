// The runner's side channel into a process under test (see lib/node-process.mjs).
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { writeHeapSnapshot } from 'node:v8';

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
        reply(measureMemory());
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
  return new Promise((resolve, reject) => profiler.post(method, (error, result) => (error ? reject(error) : resolve(result))));
}

export function reportReady(info) {
  process.send({ type: 'ready', ...info });
}

/** Memory once garbage is gone: run a full GC twice (the second sweeps what finalizers freed). */
function measureMemory() {
  global.gc?.();
  global.gc?.();
  const { rss, heapUsed, heapTotal, external, arrayBuffers } = process.memoryUsage();
  return { rss, heapUsed, heapTotal, external, arrayBuffers, gc: typeof global.gc === 'function' };
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
