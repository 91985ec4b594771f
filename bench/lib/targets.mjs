// The issue's targets, judged against one run's results.

const KIB = 1024;

export function judgeTargets(results) {
  const targets = judge(results);
  // A smoke run checks that everything runs; at its rates and sizes no target can be judged.
  if (results.settings.smoke) for (const target of targets) target.holds = null;
  return targets;
}

function judge(results) {
  const rate = (kind) =>
    Array.isArray(results.callRate) ? results.callRate.find((r) => r.kind === kind) : undefined;
  const perDialog = results.callsHeld?.bytesPerCall?.steady;
  const soak = results.soak?.growth ? results.soak : undefined; // a failed soak has none
  const worstPerDialog = perDialog
    ? Math.max(...Object.values(perDialog).flatMap(({ rss, heap }) => [rss, heap]))
    : undefined;
  return [
    rateTarget('calls/s through (a) with zero failures', rate('app'), 2000),
    rateTarget('calls/s through (b) B2BUA', rate('b2bua'), 1000),
    {
      target: 'bytes per established dialog, server and app (larger of RSS and heap delta)',
      required: `<= ${4 * KIB}`,
      measured: perDialog
        ? Object.entries(perDialog)
            .map(([name, { rss, heap }]) => `${name} ${rss} RSS / ${heap} heap`)
            .join('; ')
        : 'not run',
      holds: worstPerDialog === undefined ? null : worstPerDialog <= 4 * KIB,
    },
    {
      target: `no RSS growth at half the max rate (soak ${soak ? `${soak.seconds} s at ${soak.rate} cps` : 'not run'})`,
      required: 'RSS peak +<= 5 %, live heap slope <= 512 KiB/min',
      measured: soak
        ? Object.entries(soak.growth)
            .map(
              ([name, g]) =>
                `${name} RSS ${(g.rssGrowth * 100).toFixed(1)} %, heap ${(g.heapSlopePerMinute / KIB).toFixed(0)} KiB/min`,
            )
            .join('; ')
        : 'not run',
      holds: soak ? soak.holds : null,
    },
  ];
}

function rateTarget(target, result, required) {
  return {
    target,
    required: `>= ${required}`,
    measured: result
      ? result.error
        ? `error: ${result.error}`
        : String(result.maxCleanRate)
      : 'not run',
    holds: result && !result.error ? result.maxCleanRate >= required : null,
  };
}
