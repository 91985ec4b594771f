// 2. Calls held: N established calls at once (sipp's UAC with a long pause between ACK and BYE),
// memory of the server and of the app before and while they are held.
//
// Memory is read after a forced full GC in each process. The baseline is read after a warm-up
// (code compiled, pools filled) once the warm-up's transactions are gone. It is read twice
// while the calls are up: right after the last ACK ("in flight": dialogs plus the INVITE
// transactions that linger 32 s after their 2xx, RFC 6026) and once those transactions are gone
// ("steady": dialogs only; the per-dialog target is judged here). After every BYE it is read
// once more. `lingerSeconds` is that wait (36 s; a smoke run shortens it and is no measurement).
import { join } from 'node:path';
import { runSippUac, startSippUac } from '../lib/sipp.mjs';
import { startApp, startServer } from '../lib/systems.mjs';

export async function runCallsHeld({ calls, rate, lingerSeconds, log, snapshotDir }) {
  const lingerMs = lingerSeconds * 1000;
  log(`calls held: ${calls} calls established at ${rate}/s`);
  const server = await startServer();
  const app = await startApp('app', server, ['--mode', 'uas']);
  const parts = { server, app };
  try {
    // Warm up first, so code, JIT and pools are in the baseline and only per-call state is counted.
    const warmUp = await runSippUac({
      remote: server.info.sip,
      rate: Math.min(rate, 200),
      calls: Math.min(calls, 400),
    });
    if (warmUp.failedCalls > 0) throw new Error(`warm-up calls failed: ${warmUp.errorLog}`);
    await sleep(lingerMs);
    const baseline = await readAll(parts);
    const answeredBefore = (await app.counters()).answered;
    if (snapshotDir) await snapshotAll(parts, snapshotDir, 'before');

    const establishMs = (calls / rate) * 1000;
    const sipp = await startSippUac({
      remote: server.info.sip,
      rate,
      calls,
      limit: calls,
      // + time for the readings (and the heap snapshots, which stop each process for seconds)
      pauseMs: Math.ceil(establishMs + lingerMs + (snapshotDir ? 45000 : 5000)),
    });
    const established =
      (await waitForAnswered(app, answeredBefore + calls, establishMs + 60000)) - answeredBefore;
    await sleep(2000); // the last ACKs
    const inFlight = await readAll(parts);
    if (snapshotDir) await snapshotAll(parts, snapshotDir, 'inflight');
    log(`  ${established} calls up; waiting ${lingerSeconds} s for their transactions to end`);
    await sleep(lingerMs);
    const steady = await readAll(parts);
    if (snapshotDir) await snapshotAll(parts, snapshotDir, 'held');

    const result = await sipp.done;
    await sleep(1000);
    const released = await readAll(parts);

    const perDialog = (reading) =>
      Object.fromEntries(
        Object.keys(parts).map((name) => [
          name,
          {
            rss: Math.round((reading[name].rss - baseline[name].rss) / calls),
            heap: Math.round(
              (reading[name].heapUsed +
                reading[name].external -
                baseline[name].heapUsed -
                baseline[name].external) /
                calls,
            ),
          },
        ]),
      );
    const summary = {
      calls,
      rate,
      established,
      sipp: {
        successfulCalls: result.successfulCalls,
        failedCalls: result.failedCalls,
        retransmissions: result.retransmissions,
      },
      memory: { baseline, inFlight, steady, released },
      bytesPerCall: { inFlight: perDialog(inFlight), steady: perDialog(steady) },
    };
    for (const name of Object.keys(parts)) {
      const { rss, heap } = summary.bytesPerCall.steady[name];
      log(
        `  ${name}: ${rss} B RSS / ${heap} B heap per dialog (steady); in flight ${summary.bytesPerCall.inFlight[name].rss} B RSS`,
      );
    }
    return summary;
  } finally {
    await app.stop();
    await server.stop();
  }
}

async function readAll(parts) {
  const entries = await Promise.all(
    Object.entries(parts).map(async ([name, part]) => [name, await part.memory()]),
  );
  return Object.fromEntries(
    entries.map(([name, { rss, heapUsed, heapTotal, external }]) => [
      name,
      { rss, heapUsed, heapTotal, external },
    ]),
  );
}

async function snapshotAll(parts, dir, label) {
  for (const [name, part] of Object.entries(parts))
    await part.heapSnapshot(join(dir, `${name}-${label}.heapsnapshot`));
}

async function waitForAnswered(app, target, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  let answered = 0;
  while (Date.now() < deadline) {
    answered = (await app.counters()).answered;
    if (answered >= target) return answered;
    await sleep(250);
  }
  throw new Error(`only ${answered} of ${target} calls were answered in time`);
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
