// Overload: (a) and (b) offered 1.5x, 2x and 3x their max clean rate. Past capacity a server
// should refuse new calls early and cheaply (503 + Retry-After) and complete the ones it admits;
// one that does not shows it here as failed calls, retransmissions and falling goodput.
// Each step runs on a fresh, warmed-up instance, so one step's backlog (queued datagrams,
// lingering transactions, sipp's retransmissions) does not leak into the next.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { perCall } from '../lib/climb.mjs';
import { measuredSippRun, startWarm } from '../lib/measured-run.mjs';
import { SYSTEMS } from '../lib/systems.mjs';
import { cpuLine } from './call-rate.mjs';

export const OVERLOAD = {
  kinds: ['app', 'b2bua'],
  multiples: [1.5, 2, 3],
  /** The target, judged at these multiples: goodput at least this share of the clean rate. */
  judgedMultiples: [2, 3],
  goodputShare: 0.9,
};

/** A call waiting this long for its next message (an INVITE or BYE never answered) is aborted: RFC 3261's Timer B. */
const RECV_TIMEOUT_MS = 32000;
/** sipp placing less than this share of the asked rate: the step is marked, sipp was the limit. */
const SHORT_OFFER = 0.9;
const UAC = join(dirname(fileURLToPath(import.meta.url)), '..', 'scenarios', 'uac-overload.xml');

/** `bases`: { app: cps, b2bua: cps }, the max clean rate each step is a multiple of. */
export async function runOverload({ bases, registry = SYSTEMS, stepSeconds, log }) {
  const results = [];
  for (const kind of OVERLOAD.kinds) {
    const { label, description } = registry[kind];
    const base = bases[kind];
    log(`overload: ${label}, clean rate ${base ?? 'unknown'}`);
    if (!base) {
      const notRun = 'no clean rate: section 1 found none here, and --overload-base gave none';
      log(`  not run: ${notRun}`);
      results.push({ kind, label, description, notRun, steps: [] });
      continue;
    }
    const steps = [];
    for (const multiple of OVERLOAD.multiples)
      steps.push(await runStep(registry[kind], base, multiple, stepSeconds, log));
    results.push({ kind, label, description, base, steps });
  }
  return results;
}

async function runStep(entry, base, multiple, stepSeconds, log) {
  const rate = Math.round(base * multiple);
  const calls = Math.max(1, Math.round(rate * stepSeconds));
  let system;
  try {
    system = await startWarm(entry, Math.max(1, Math.round(base / 2)));
  } catch (error) {
    log(`  ${multiple}x: could not start: ${error.message}`);
    return { multiple, rate, error: error.message };
  }
  try {
    const { sipp, cpu, drops } = await measuredSippRun(system, {
      rate,
      calls,
      scenario: UAC,
      // No cap on open calls: sipp's default (3 x rate x call length) would throttle the offer
      // exactly when the system slows down.
      limit: calls,
      recvTimeoutMs: RECV_TIMEOUT_MS,
      // Room for sipp placing at half the asked rate, then for the last calls to time out.
      timeoutSeconds: Math.ceil(2 * stepSeconds + RECV_TIMEOUT_MS / 1000 + 10),
    });
    return describeStep({ multiple, rate, base, sipp, cpu, drops, log });
  } finally {
    await system.stop();
  }
}

function describeStep({ multiple, rate, base, sipp, cpu, drops, log }) {
  const placed = sipp.callsCreated;
  const refused = sipp.refusedCalls;
  // A refused call ends the scenario normally too: sipp counts it as successful.
  const completed = Math.max(0, sipp.successfulCalls - refused);
  // Everything placed that neither completed nor was refused: admitted calls that broke down,
  // INVITEs never answered, calls still open when sipp's time ran out.
  const failed = Math.max(0, placed - completed - refused);
  const offered = Math.round(sipp.placingRate ?? sipp.callRate);
  // Calls completed per second, over the time calls were offered, or until the last one was
  // answered when that came later: late completions do not pass for throughput.
  const windowSeconds = Math.max(offered ? placed / offered : 0, sipp.lastSetupAtSeconds);
  const goodput = windowSeconds ? Math.round(completed / windowSeconds) : 0;
  const step = {
    multiple,
    rate,
    offeredRate: offered,
    offerShort: offered < rate * SHORT_OFFER,
    placed,
    completed,
    refused,
    failed,
    goodput,
    goodputShare: Math.round((goodput / base) * 100) / 100,
    retransmissions: sipp.retransmissions,
    timeouts: sipp.timeouts,
    unexpectedMessages: sipp.unexpectedMessages,
    unexpectedStatuses: sipp.unexpectedStatuses,
    setupMs: sipp.setupMs,
    cpuPercent: cpu.processes,
    cpuMicrosPerCall: perCall(cpu.processes, completed / cpu.seconds),
    machineBusyPercent: cpu.machineBusyPercent,
    udpDrops: drops,
    seconds: cpu.seconds,
    errorLog: sipp.errorLog || undefined,
  };
  log(
    `  ${multiple}x = ${rate} cps (sipp placed ${offered}/s${step.offerShort ? ', short' : ''}): ` +
      `goodput ${goodput}/s (${Math.round(step.goodputShare * 100)} % of ${base}), ${completed} completed, ` +
      `${refused} refused, ${failed} failed, ${sipp.retransmissions} retransmissions; ` +
      `setup p50 ${sipp.setupMs.p50} ms p99 ${sipp.setupMs.p99} ms; CPU ${cpuLine(cpu.processes)}`,
  );
  return step;
}
