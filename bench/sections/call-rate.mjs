// 1. Call rate: sipp's built-in UAC at rising rates against each system, until a step fails.
// Each system is warmed up first (2 s at half the first step). A step is clean when every call
// completed with no failed call, no retransmission (in either direction), no timeout and no
// unexpected message, and sipp kept up the offered rate. After the first unclean step, one more
// step halfway between it and the last clean one narrows the answer down. A peer missing from
// the machine is reported as not run.
// (a) and (b) then get one more step at 60 % of their max clean rate, on a fresh instance: the
// issue's latency target (no retransmission, p99 setup < 50 ms) is judged there.
import { climb, perCall, summarize } from '../lib/climb.mjs';
import { measuredSippRun, startWarm } from '../lib/measured-run.mjs';
import { SYSTEMS } from '../lib/systems.mjs';

/** The systems whose latency at a fraction of their max clean rate is a target. */
const PARTIAL_LOAD = { kinds: ['app', 'b2bua'], fraction: 0.6 };

export async function runCallRate({ systems, registry = SYSTEMS, steps, stepSeconds, log }) {
  const results = [];
  for (const kind of systems) {
    const entry = registry[kind];
    const { label, description } = entry;
    log(`call rate: ${label}`);
    const missing = entry.missing?.();
    if (missing) {
      log(`  not run: ${missing}`);
      results.push({ kind, label, description, notRun: missing, steps: [] });
      continue;
    }
    let system;
    try {
      // Warmed up at half the first step, as every fresh instance in the bench is: the climb
      // measures capacity, and a cold B2BUA (code not yet compiled) fell behind in the first
      // second of its first 500 cps step (one call refused, 2026-12-05 16:58 UTC).
      system = await startWarm(entry, Math.max(1, Math.round(steps[0] / 2)));
    } catch (error) {
      log(`  could not start: ${error.message}`);
      if (error.detail) log(error.detail.replace(/^/gm, '    '));
      results.push({
        kind,
        label,
        description,
        error: error.message,
        detail: error.detail,
        steps: [],
      });
      continue;
    }
    let result;
    try {
      const ran = await climb(steps, (rate) => runStep(system, rate, stepSeconds, log));
      result = { kind, label, description, ...summarize(ran) };
    } finally {
      await system.stop();
    }
    if (PARTIAL_LOAD.kinds.includes(kind) && result.maxCleanRate > 0)
      result.partialLoad = await runPartialLoad(entry, result.maxCleanRate, stepSeconds, log);
    results.push(result);
  }
  return results;
}

/** One step at PARTIAL_LOAD.fraction of `maxCleanRate` on a fresh, warmed-up instance. */
async function runPartialLoad(entry, maxCleanRate, stepSeconds, log) {
  const rate = Math.max(1, Math.round(maxCleanRate * PARTIAL_LOAD.fraction));
  log(`  ${PARTIAL_LOAD.fraction * 100} % of ${maxCleanRate} cps, fresh instance:`);
  try {
    const system = await startWarm(entry, rate);
    try {
      return {
        fraction: PARTIAL_LOAD.fraction,
        ...(await runStep(system, rate, stepSeconds, log)),
      };
    } finally {
      await system.stop();
    }
  } catch (error) {
    log(`  failed: ${error.message}`);
    return { fraction: PARTIAL_LOAD.fraction, rate, error: error.message };
  }
}

async function runStep(system, rate, stepSeconds, log) {
  const calls = Math.max(1, Math.round(rate * stepSeconds));
  const { sipp, cpu, drops } = await measuredSippRun(system, { rate, calls });
  const problems = [];
  if (sipp.failedCalls > 0) problems.push(`${sipp.failedCalls} failed`);
  if (sipp.successfulCalls < calls) problems.push(`${calls - sipp.successfulCalls} not completed`);
  if (sipp.retransmissions > 0) problems.push(`${sipp.retransmissions} retransmissions`);
  if (sipp.timeouts > 0) problems.push(`${sipp.timeouts} timeouts`);
  for (const [name, count] of Object.entries(drops)) {
    if (count > 0) problems.push(`${name} dropped ${count} datagrams (receive buffer full)`);
  }
  if (sipp.unexpectedMessages > 0)
    problems.push(`${sipp.unexpectedMessages} unexpected${statusList(sipp.unexpectedStatuses)}`);
  if (sipp.exitCode !== 0 && problems.length === 0) problems.push(`sipp exit ${sipp.exitCode}`);
  // sipp's offered rate falls short when sipp itself (or the whole machine) is saturated.
  const generatorShort = sipp.callRate < rate * 0.9;
  if (generatorShort) problems.push(`offered only ${sipp.callRate.toFixed(0)}/s`);
  const step = {
    rate,
    calls,
    clean: problems.length === 0,
    generatorShort,
    problems,
    achievedRate: Math.round(sipp.callRate),
    successfulCalls: sipp.successfulCalls,
    failedCalls: sipp.failedCalls,
    retransmissions: sipp.retransmissions,
    setupMs: sipp.setupMs,
    cpuPercent: cpu.processes,
    cpuMicrosPerCall: perCall(cpu.processes, sipp.successfulCalls / cpu.seconds),
    machineBusyPercent: cpu.machineBusyPercent,
    udpDrops: drops,
    seconds: cpu.seconds,
    errorLog: sipp.errorLog || undefined,
  };
  log(
    `  ${String(rate).padStart(5)} cps: ${step.clean ? 'clean' : problems.join(', ')}; ` +
      `setup p50 ${sipp.setupMs.p50} ms p99 ${sipp.setupMs.p99} ms; CPU ${cpuLine(cpu.processes)}; machine ${cpu.machineBusyPercent}%`,
  );
  return step;
}

/** 'server 93.1%, app 30.2%' for the log. */
export function cpuLine(processes) {
  return Object.entries(processes)
    .map(([name, value]) => `${name} ${value}%`)
    .join(', ');
}

/** ' (503 x 15965)' for the statuses sipp did not expect; empty when its log names none. */
function statusList(statuses) {
  const parts = Object.entries(statuses).map(([status, count]) => `${status} x ${count}`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}
