// 4. Soak: target (a) at a constant rate (half its maximum) for a while; memory of the server
// and of the app sampled throughout. Growth is judged on the samples after the warm-up (the
// first 40 s, while the population of lingering transactions fills up to its steady level).
//
// Samples are read as the process has them, every 2 s, without forcing a GC: a forced full GC
// of a heap carrying tens of thousands of lingering transactions stalls the server long enough
// for sipp to retransmit, the measurement disturbing what it measures. Left alone, V8 lets the
// heap climb for a minute or so and then collects it back down: memory is a sawtooth, and
// comparing two single readings would only tell where in a tooth each fell. So RSS is judged by
// the peak of each half of the steady samples (what a host must provide): at most 5 % growth
// from the first to the second. The heap is judged by what V8's own full collections leave
// (each process reports the heap after its last mark-compact, from v8.GCProfiler): the live
// data, fitted linearly over the run, may grow by at most 512 KiB a minute.
import { startCpuMeter } from '../lib/proc.mjs';
import { slope } from '../lib/stats.mjs';
import { sleep } from '../lib/climb.mjs';
import { warmUp } from '../lib/measured-run.mjs';
import { startSippUac } from '../lib/sipp.mjs';
import { startApp, startServer } from '../lib/systems.mjs';

const WARM_UP_SECONDS = 40;
const MAX_RSS_GROWTH = 0.05;
const MAX_HEAP_SLOPE_PER_MINUTE = 512 * 1024;

export async function runSoak({ seconds, rate, sampleSeconds, log }) {
  log(`soak: ${rate} cps for ${seconds} s through (a)`);
  const server = await startServer();
  const app = await startApp('app', server, ['--mode', 'uas']);
  const parts = { server, app };
  try {
    // Warmed up (2 s at half the rate) like every fresh instance in the bench: started cold at
    // 2,500 cps, the server refused 362 calls in its first second while its code compiled
    // (2026-12-05 17:30 UTC), which says nothing about ten minutes of steady load.
    await warmUp(server.info.sip, Math.round(rate / 2));
    const sipp = await startSippUac({
      remote: server.info.sip,
      rate,
      calls: Math.round(rate * seconds),
    });
    const stopMeter = startCpuMeter([
      { name: 'sipp-uac', pid: sipp.pid },
      { name: 'server', pid: server.pid },
      { name: 'app', pid: app.pid },
    ]);
    const startedAt = Date.now();
    const samples = [];
    let finished = false;
    void sipp.done.then(() => (finished = true));
    while (!finished) {
      await Promise.race([sleep(sampleSeconds * 1000), sipp.done]);
      if (finished) break;
      const at = (Date.now() - startedAt) / 1000;
      const sample = { at: Math.round(at) };
      for (const [name, part] of Object.entries(parts)) {
        const { rss, heapUsed, heapAfterFullGc } = await part.memory({ gc: false });
        sample[name] = { rss, heapUsed, heapAfterFullGc };
      }
      samples.push(sample);
    }
    const cpu = stopMeter();
    const result = await sipp.done;
    const warmUpSeconds = Math.round(Math.min(WARM_UP_SECONDS, seconds / 3));
    const steadySamples = samples.filter((sample) => sample.at >= warmUpSeconds);
    const growth = Object.fromEntries(
      Object.keys(parts).map((name) => [name, judge(steadySamples, name)]),
    );
    for (const [name, g] of Object.entries(growth)) {
      log(
        `  ${name}: RSS peak ${mib(g.rssStart)} -> ${mib(g.rssEnd)} MiB (${(g.rssGrowth * 100).toFixed(1)} %), live heap slope ${(g.heapSlopePerMinute / 1024).toFixed(0)} KiB/min over ${g.fullGcs} full GCs`,
      );
    }
    return {
      seconds,
      rate,
      sampleSeconds,
      warmUpSeconds,
      sipp: {
        successfulCalls: result.successfulCalls,
        failedCalls: result.failedCalls,
        retransmissions: result.retransmissions,
        setupMs: result.setupMs,
        // Why calls failed, when some did: the statuses sipp did not expect and its first errors.
        unexpectedStatuses: result.unexpectedStatuses,
        errorLog: result.failedCalls > 0 ? result.errorLog : undefined,
      },
      cpuPercent: cpu.processes,
      machineBusyPercent: cpu.machineBusyPercent,
      growth,
      holds: Object.values(growth).every((g) => g.holds) && result.failedCalls === 0,
      samples,
    };
  } finally {
    await app.stop();
    await server.stop();
  }
}

function judge(samples, name) {
  const half = Math.floor(samples.length / 2);
  const live = samples
    .filter((s) => s[name].heapAfterFullGc !== undefined)
    .map((s) => ({ x: s.at / 60, y: s[name].heapAfterFullGc }));
  if (half < 2 || live.length < 2) {
    return {
      holds: false,
      reason: 'too few samples or full GCs',
      rssStart: 0,
      rssEnd: 0,
      rssGrowth: 0,
      fullGcs: live.length,
      heapSlopePerMinute: 0,
    };
  }
  const [rssStart, rssEnd] = [samples.slice(0, half), samples.slice(half)].map((h) =>
    Math.max(...h.map((s) => s[name].rss)),
  );
  const rssGrowth = (rssEnd - rssStart) / rssStart;
  const heapSlopePerMinute = slope(live);
  return {
    rssStart,
    rssEnd,
    rssGrowth: Math.round(rssGrowth * 1000) / 1000,
    fullGcs: live.length,
    liveHeapFirst: live[0].y,
    liveHeapLast: live[live.length - 1].y,
    heapSlopePerMinute: Math.round(heapSlopePerMinute),
    holds: rssGrowth <= MAX_RSS_GROWTH && heapSlopePerMinute <= MAX_HEAP_SLOPE_PER_MINUTE,
  };
}

const mib = (bytes) => (bytes / 2 ** 20).toFixed(1);
