// 1. Call rate: sipp's built-in UAC at rising rates against each system, until a step fails.
// A step is clean when every call completed with no failed call, no retransmission (in either
// direction), no timeout and no unexpected message, and sipp kept up the offered rate. After
// the first unclean step, one more step halfway between it and the last clean one narrows the
// answer down.
import { climb, perCall, summarize } from '../lib/climb.mjs';
import { droppedDatagrams, startCpuMeter, udpDrops } from '../lib/proc.mjs';
import { runSippUac } from '../lib/sipp.mjs';
import { SYSTEMS } from '../lib/systems.mjs';

export async function runCallRate({ systems, registry = SYSTEMS, steps, stepSeconds, log }) {
  const results = [];
  for (const kind of systems) {
    const { label, description } = registry[kind];
    log(`call rate: ${label}`);
    let system;
    try {
      system = await registry[kind].start();
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
    try {
      const ran = await climb(steps, (rate) => runStep(system, rate, stepSeconds, log));
      results.push({ kind, label, description, ...summarize(ran) });
    } finally {
      await system.stop();
    }
  }
  return results;
}

async function runStep(system, rate, stepSeconds, log) {
  const calls = Math.max(1, Math.round(rate * stepSeconds));
  let stopMeter;
  // Processes sharing one socket (Kamailio's workers) list it once here.
  const socketOwners = system.socketOwners ?? system.processes;
  const dropsBefore = socketOwners.map(({ pid }) => udpDrops(pid));
  const sipp = await runSippUac({
    remote: system.remote,
    rate,
    calls,
    scenario: system.uacScenario,
    onStart: (pid) => (stopMeter = startCpuMeter([{ name: 'sipp-uac', pid }, ...system.processes])),
  });
  const cpu = stopMeter();
  const drops = droppedDatagrams(socketOwners, dropsBefore);
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
  if (sipp.callRate < rate * 0.9) problems.push(`offered only ${sipp.callRate.toFixed(0)}/s`);
  const step = {
    rate,
    calls,
    clean: problems.length === 0,
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
  const cpuText = Object.entries(cpu.processes)
    .map(([name, value]) => `${name} ${value}%`)
    .join(', ');
  log(
    `  ${String(rate).padStart(5)} cps: ${step.clean ? 'clean' : problems.join(', ')}; ` +
      `setup p50 ${sipp.setupMs.p50} ms p99 ${sipp.setupMs.p99} ms; CPU ${cpuText}; machine ${cpu.machineBusyPercent}%`,
  );
  return step;
}

/** ' (503 x 15965)' for the statuses sipp did not expect; empty when its log names none. */
function statusList(statuses) {
  const parts = Object.entries(statuses).map(([status, count]) => `${status} x ${count}`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}
