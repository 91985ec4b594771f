// Section 1's comparison with the peers run beside (a) and (b), and its step at 60 % of the
// max clean rate: the tables issue 19's call-rate targets are read from.
import { cpuText, holdsText, markdownTable } from './markdown.mjs';
import {
  PARTIAL_LOAD_P99_MS,
  PEER_RATIO_TARGETS,
  partialLoadHolds,
  peerRatio,
} from './targets.mjs';

const COMPARED = ['app', 'b2bua', 'kamailio-uas', 'sip-uas'];

export function renderPeers(callRate, smoke) {
  const compared = COMPARED.map((kind) => callRate.find((r) => r.kind === kind)).filter(Boolean);
  if (!compared.some((r) => r.kind === 'kamailio-uas' || r.kind === 'sip-uas')) return [];
  const common = highestCommonCleanRate(compared.filter((r) => r.maxCleanRate > 0));
  const lines = [
    '### Beside the peers (same run)',
    '',
    "Each system's max clean rate over the Kamailio tm UAS's (bench/kamailio/uas.cfg). CPU µs per call: " +
      'the CPU time of all the processes of the system (not the sipp UAC; for (b) not its far-end sipp UAS either) ' +
      `per call completed, at its own max and at ${common ? `${common} cps, the highest step all of them with a clean step ran clean` : 'a common rate (none here)'}.`,
    '',
  ];
  lines.push(
    ...markdownTable(
      [
        'system',
        'max clean cps',
        '/ Kamailio UAS',
        'target',
        'CPU µs per call at max',
        `CPU µs per call at ${common ?? '-'} cps`,
      ],
      compared.map((r) => {
        if (r.notRun || r.error)
          return [r.label, `not run: ${r.notRun ?? r.error}`, '', '', '', ''];
        const { ratio, holds } = peerRatio(callRate, r.kind);
        const required = PEER_RATIO_TARGETS[r.kind];
        const atCommon = r.steps.find((s) => s.clean && s.rate === common);
        return [
          r.label,
          `${r.maxCleanRate}${r.topped ? ' (highest step)' : ''}`,
          ratio === undefined ? '' : `${ratio.toFixed(2)}x`,
          required === undefined
            ? ''
            : `>= ${required.toFixed(1)}x: ${
                holds === null && ratio !== undefined && !smoke
                  ? 'unproven (a max at the highest step is a bound)'
                  : holdsText(smoke ? null : holds, smoke)
              }`,
          systemMicros(r.atMax),
          systemMicros(atCommon),
        ];
      }),
    ),
  );

  const partial = callRate.filter((r) => r.partialLoad);
  if (partial.length) {
    lines.push(
      '### At 60 % of the max clean rate',
      '',
      `One more step after the climb, on a fresh instance warmed up for 2 s: no retransmission and setup p99 < ${PARTIAL_LOAD_P99_MS} ms is the target.`,
      '',
      ...markdownTable(
        [
          'system',
          'cps',
          'result',
          'retransmissions',
          'setup p50 ms',
          'setup p99 ms',
          'CPU %',
          'holds',
        ],
        partial.map(({ label, partialLoad: s }) =>
          s.error
            ? [label, s.rate, `error: ${s.error}`, '', '', '', '', holdsText(null, smoke)]
            : [
                label,
                s.rate,
                s.clean ? 'clean' : s.problems.join(', '),
                s.retransmissions,
                s.setupMs.p50,
                s.setupMs.p99,
                cpuText(s.cpuPercent),
                holdsText(smoke ? null : partialLoadHolds(s), smoke),
              ],
        ),
      ),
    );
  }
  return lines;
}

/** The highest rate at which every system in `list` had a clean step: the same work at the same rate. */
function highestCommonCleanRate(list) {
  if (list.length === 0) return undefined;
  const cleanRates = list.map((r) => new Set(r.steps.filter((s) => s.clean).map((s) => s.rate)));
  const shared = [...cleanRates[0]].filter((rate) => cleanRates.every((set) => set.has(rate)));
  return shared.length ? Math.max(...shared) : undefined;
}

/** '512 (server 365, app 147)': the system's processes, the sipp load and far end left out. */
function systemMicros(step) {
  if (!step?.cpuMicrosPerCall) return '';
  const own = Object.entries(step.cpuMicrosPerCall).filter(([name]) => !name.startsWith('sipp-'));
  if (own.some(([, micros]) => micros === null)) return cpuText(Object.fromEntries(own));
  const total = own.reduce((sum, [, micros]) => sum + micros, 0);
  // Kamailio's idle helpers (timers, the main process) read 0: left out of the breakdown.
  const busy = own.filter(([, micros]) => micros > 0);
  return own.length > 1 ? `${total} (${cpuText(Object.fromEntries(busy))})` : String(total);
}
