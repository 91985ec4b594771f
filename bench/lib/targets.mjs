// The issues' targets, judged against one run's results.
import { OVERLOAD } from '../sections/overload.mjs';

const KIB = 1024;

/** Max clean rate against the Kamailio tm UAS's in the same run (issue 19). */
export const PEER_RATIO_TARGETS = { app: 1.0, b2bua: 0.6 };
/** At 60 % of the max clean rate: no retransmission, and setup p99 under this (issue 19). */
export const PARTIAL_LOAD_P99_MS = 50;

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
    ...Object.keys(PEER_RATIO_TARGETS).map((kind) => peerTarget(results.callRate, kind)),
    ...['app', 'b2bua'].map((kind) => partialLoadTarget(rate(kind), kind)),
    ...OVERLOAD.kinds.map((kind) =>
      overloadTarget(
        Array.isArray(results.overload) ? results.overload.find((r) => r.kind === kind) : undefined,
        kind,
      ),
    ),
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
      target: 'server bytes per held dialog, issue 19 (larger of RSS and heap delta)',
      required: `<= ${1.5 * KIB}`,
      measured: perDialog?.server
        ? `${perDialog.server.rss} RSS / ${perDialog.server.heap} heap`
        : 'not run',
      holds: perDialog?.server
        ? Math.max(perDialog.server.rss, perDialog.server.heap) <= 1.5 * KIB
        : null,
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

const SHORT = { app: '(a)', b2bua: '(b)' };

/**
 * `kind`'s max clean rate over the Kamailio tm UAS's, when both ran: { ratio, kamailio, holds }.
 * A system clean at the highest step tried has a max at least that high, so the ratio is only
 * a bound then: `holds` is null when the bound cannot settle the target.
 */
export function peerRatio(callRate, kind) {
  const find = (k) => (Array.isArray(callRate) ? callRate.find((r) => r.kind === k) : undefined);
  const ours = find(kind);
  const kamailio = find('kamailio-uas');
  if (!ours || ours.error || ours.notRun || !kamailio?.maxCleanRate)
    return { kamailio, holds: null };
  const ratio = Math.round((ours.maxCleanRate / kamailio.maxCleanRate) * 100) / 100;
  const required = PEER_RATIO_TARGETS[kind];
  let holds = null;
  if (required !== undefined) {
    if (ratio >= required) holds = kamailio.topped ? null : true;
    else holds = ours.topped ? null : false;
  }
  return { ours, kamailio, ratio, holds };
}

function peerTarget(callRate, kind) {
  const { ours, kamailio, ratio, holds } = peerRatio(callRate, kind);
  const required = PEER_RATIO_TARGETS[kind];
  const topped = [ours, kamailio].filter((r) => r?.topped).map((r) => r.label);
  return {
    target: `${SHORT[kind]} max clean cps / Kamailio tm UAS's, same run`,
    required: `>= ${required.toFixed(1)}x`,
    measured:
      ratio === undefined
        ? `not measured: Kamailio UAS ${kamailio ? (kamailio.notRun ?? kamailio.error ?? `${kamailio.maxCleanRate} cps`) : 'not run'}`
        : `${ours.maxCleanRate} / ${kamailio.maxCleanRate} = ${ratio.toFixed(2)}x` +
          (topped.length
            ? ` (clean at the highest step, so at least that: ${topped.join(', ')})`
            : ''),
    holds,
    unproven:
      ratio !== undefined && holds === null ? 'a max at the highest step is a bound' : undefined,
  };
}

/** The 60 % step's verdict: true, false, or null when it did not run. */
export function partialLoadHolds(step) {
  if (!step || step.error || step.setupMs?.p99 === null) return null;
  return step.retransmissions === 0 && step.setupMs.p99 < PARTIAL_LOAD_P99_MS;
}

function partialLoadTarget(result, kind) {
  const step = result?.partialLoad;
  return {
    target: `${SHORT[kind]} at 60 % of its max clean rate (fresh instance): no retransmission, setup p99`,
    required: `0, < ${PARTIAL_LOAD_P99_MS} ms`,
    measured: !step
      ? 'not run'
      : step.error
        ? `error: ${step.error}`
        : `${step.rate} cps: ${step.retransmissions} retransmissions, p99 ${step.setupMs.p99} ms`,
    holds: partialLoadHolds(step),
  };
}

/**
 * Under OVERLOAD.judgedMultiples of the clean rate: goodput at least OVERLOAD.goodputShare of
 * it and no failed call (admitted, or never answered). A step where sipp could not place the
 * asked rate proves nothing when it passes: it is judged "unproven" (holds null), not "yes".
 */
export function overloadVerdict(system) {
  if (!system || system.notRun || system.error) return { holds: null };
  const judged = system.steps.filter((s) => OVERLOAD.judgedMultiples.includes(s.multiple));
  if (judged.length === 0) return { holds: null };
  const passes = (s) => !s.error && s.failed === 0 && s.goodputShare >= OVERLOAD.goodputShare;
  const holds = judged.every(passes) ? (judged.some((s) => s.offerShort) ? null : true) : false;
  return { holds, judged };
}

function overloadTarget(system, kind) {
  const { holds, judged } = overloadVerdict(system);
  const describe = (s) =>
    s.error
      ? `${s.multiple}x: error`
      : `${s.multiple}x: goodput ${s.goodput}/s = ${Math.round(s.goodputShare * 100)} %, ${s.failed} failed` +
        (s.offerShort ? ` (sipp placed only ${s.offeredRate}/s of ${s.rate})` : '');
  return {
    target: `${SHORT[kind]} under ${OVERLOAD.judgedMultiples.join('x and ')}x its clean rate: goodput, failed calls`,
    required: `>= ${OVERLOAD.goodputShare * 100} % of the clean rate, 0 failed`,
    measured: judged
      ? `clean rate ${system.base}; ${judged.map(describe).join('; ')}`
      : system?.notRun
        ? `not run: ${system.notRun}`
        : 'not run',
    holds,
    unproven: holds === null && judged ? 'sipp could not place the load' : undefined,
  };
}
