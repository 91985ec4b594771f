// --profile: where the time and the memory go. (a) and (b) run under V8's CPU profiler (what
// node --cpu-prof runs, started over the IPC channel after a warm-up so start-up and JIT
// warm-up stay out of it) at a load below their maximum; then a calls-held run of its own takes heap snapshots of the server
// and the app before and while its calls are up (its own, because writing a snapshot grows the
// RSS that section 2 measures). Raw profiles stay in results/profiles/ (open them in Chrome
// DevTools); the summary goes to results/profile.md and into the results JSON.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { summarizeCpuProfile } from '../lib/cpu-profile.mjs';
import { diffHeapSnapshots } from '../lib/heap-snapshot.mjs';
import { runSippUac } from '../lib/sipp.mjs';
import { SYSTEMS } from '../lib/systems.mjs';
import { runCallsHeld } from './calls-held.mjs';

const LOAD_SHARE = 0.7;

export async function runProfile({
  results,
  resultsDir,
  profileDir: dir,
  profileSeconds,
  snapshotCalls,
  lingerSeconds,
  steps,
  log,
}) {
  const root = resolve(resultsDir, '..', '..');
  const summary = { cpu: {}, heap: {} };

  for (const kind of ['app', 'b2bua']) {
    const measured = Array.isArray(results.callRate)
      ? results.callRate.find((r) => r.kind === kind)?.maxCleanRate
      : undefined;
    const rate = measured
      ? Math.max(10, Math.round(measured * LOAD_SHARE))
      : steps[Math.min(1, steps.length - 1)];
    const profileDir = join(dir, kind);
    mkdirSync(profileDir, { recursive: true });
    log(
      `profile: ${SYSTEMS[kind].label} at ${rate} cps for ${profileSeconds} s under the CPU profiler`,
    );
    const system = await SYSTEMS[kind].start();
    const profiled = ['server', 'app'].map((name) => [name, system.parts[name]]);
    let sipp;
    try {
      await runSippUac({
        remote: system.remote,
        rate,
        calls: Math.round(rate * Math.min(5, profileSeconds)),
      });
      for (const [, part] of profiled) await part.startCpuProfile();
      sipp = await runSippUac({
        remote: system.remote,
        rate,
        calls: Math.round(rate * profileSeconds),
      });
      for (const [name, part] of profiled)
        await part.stopCpuProfile(join(profileDir, `${name}.cpuprofile`));
    } finally {
      await system.stop();
    }
    summary.cpu[kind] = {
      rate,
      failedCalls: sipp.failedCalls,
      retransmissions: sipp.retransmissions,
      processes: {},
    };
    for (const [name] of profiled) {
      summary.cpu[kind].processes[name] = summarizeCpuProfile(
        join(profileDir, `${name}.cpuprofile`),
        { root },
      );
    }
  }

  const snapshots = join(dir, 'heap');
  mkdirSync(snapshots, { recursive: true });
  const calls = snapshotCalls;
  const rate = Math.min(500, results.settings.heldRate);
  await runCallsHeld({ calls, rate, lingerSeconds, log, snapshotDir: snapshots });
  log('profile: comparing heap snapshots');
  for (const name of ['server', 'app']) {
    const before = join(snapshots, `${name}-before.heapsnapshot`);
    summary.heap[name] = {
      inflight: diffHeapSnapshots(before, join(snapshots, `${name}-inflight.heapsnapshot`), {
        per: calls,
      }),
      steady: diffHeapSnapshots(before, join(snapshots, `${name}-held.heapsnapshot`), {
        per: calls,
      }),
    };
  }
  summary.heap.calls = calls;

  writeFileSync(join(resultsDir, 'profile.md'), renderProfile(summary));
  log('wrote results/profile.md (raw profiles in results/profiles/)');
  return summary;
}

function renderProfile(summary) {
  const lines = ['# Profile summary', ''];
  for (const [kind, run] of Object.entries(summary.cpu)) {
    lines.push(
      `## CPU: ${SYSTEMS[kind].label} at ${run.rate} cps (${run.failedCalls} failed calls, ${run.retransmissions} retransmissions)`,
      '',
    );
    for (const [name, p] of Object.entries(run.processes)) {
      lines.push(
        `### ${name}: busy ${p.busyPercent} % of ${p.samples} samples over ${p.seconds} s; shares below are of the busy samples`,
        '',
      );
      lines.push(
        '| self % | function |',
        '|---|---|',
        ...p.self.map((f) => `| ${f.percent} | \`${f.name}\` |`),
        '',
      );
      lines.push(
        '| inclusive % | function |',
        '|---|---|',
        ...p.inclusive.map((f) => `| ${f.percent} | \`${f.name}\` |`),
        '',
      );
      lines.push(
        '| self % | module |',
        '|---|---|',
        ...p.modules.map((f) => `| ${f.percent} | \`${f.name}\` |`),
        '',
      );
    }
  }
  if (!summary.heap.calls) return lines.join('\n');
  lines.push(
    `## Heap: what ${summary.heap.calls} held calls add`,
    '',
    "Shallow sizes of the objects added since the baseline, per call. 'In flight': right after the last call was " +
      "answered, dialogs plus the transactions that linger 32 s. 'Steady': dialogs only.",
    '',
  );
  for (const [name, stage] of ['server', 'app'].flatMap((n) => [
    [n, 'inflight'],
    [n, 'steady'],
  ])) {
    const h = summary.heap[name][stage];
    lines.push(
      `### ${name}, ${stage === 'inflight' ? 'in flight' : 'steady'}: ${h.perCallBytes} B per call`,
      '',
    );
    lines.push(
      '| objects | per call | bytes per call |',
      '|---|---|---|',
      ...h.top.map((r) => `| \`${r.name}\` | ${r.perCallCount} | ${r.perCallBytes} |`),
      '',
    );
    lines.push(
      `Who holds binary memory (Buffer backing stores) in this snapshot, all of it, not only what the calls added; a slab is a whole 8 KiB pool chunk kept alive by one small Buffer:`,
      '',
      '| held by | stores | bytes | 8 KiB slabs |',
      '|---|---|---|---|',
      ...h.bufferOwners.map((o) => `| \`${o.owner}\` | ${o.stores} | ${o.bytes} | ${o.slabs} |`),
      '',
    );
  }
  return lines.join('\n');
}
