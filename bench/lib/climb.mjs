// Stepping a system through rising rates, shared by the sipp call-rate sections and the
// transports section: stop at the first unclean step, then one step halfway between it and the
// last clean one narrows the answer down. A step whose generator placed calls slower than asked
// (`generatorShort`: the load generator, or the machine under it, fell behind, not necessarily
// the system) is run once more before it counts: a lone stall of sipp cut Kamailio's climb at
// 2,000 calls/s in the run of 2026-12-05 14:37 UTC, where it had run clean at 5,000.

const SETTLE_MS = 2000;

/** Runs `runStep(rate)` (resolving to { rate, clean, problems, ... }) per rate; returns every step. */
export async function climb(steps, runStep) {
  const ran = [];
  let lastClean;
  for (const rate of steps) {
    let step = await runStep(rate);
    if (!step.clean && step.generatorShort) {
      ran.push({ ...step, retried: true });
      await sleep(SETTLE_MS * 2);
      step = await runStep(rate);
    }
    ran.push(step);
    if (!step.clean) {
      const midway = lastClean && roundRate((lastClean + rate) / 2);
      if (midway && midway !== lastClean && midway !== rate) {
        await sleep(SETTLE_MS * 2);
        ran.push(await runStep(midway));
      }
      break;
    }
    lastClean = rate;
    await sleep(SETTLE_MS);
  }
  return ran;
}

/**
 * maxCleanRate, the step at it, and what failed above it; `topped` when nothing did (the
 * highest step tried was clean, so the real max may be higher).
 */
export function summarize(steps) {
  const clean = steps.filter((step) => step.clean);
  const best = clean.reduce((top, step) => (!top || step.rate > top.rate ? step : top), undefined);
  const firstFailure = steps
    .filter((step) => !step.clean && (!best || step.rate > best.rate))
    .reduce((low, step) => (!low || step.rate < low.rate ? step : low), undefined);
  return {
    maxCleanRate: best?.rate ?? 0,
    atMax: best,
    limitedBy: firstFailure
      ? `${firstFailure.rate} cps: ${firstFailure.problems.join(', ')}`
      : 'highest step tried',
    topped: !firstFailure,
    steps,
  };
}

/** CPU time per completed call, in microseconds, per process: comparable across rates. */
export function perCall(cpuPercent, callsPerSecond) {
  return Object.fromEntries(
    Object.entries(cpuPercent).map(([name, percent]) => [
      name,
      percent === null || !callsPerSecond
        ? null
        : Math.round((percent / 100) * (1e6 / callsPerSecond)),
    ]),
  );
}

function roundRate(rate) {
  return rate >= 1000 ? Math.round(rate / 100) * 100 : Math.round(rate / 10) * 10;
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
