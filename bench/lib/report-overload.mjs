// The overload section's table: per system and step, what was offered, what got through, what
// was refused and what failed.
import { OVERLOAD } from '../sections/overload.mjs';
import { cpuText, markdownTable } from './markdown.mjs';
import { overloadVerdict } from './targets.mjs';

export function renderOverload(overload, smoke) {
  const lines = [
    '## Overload ((a) and (b) offered 1.5x, 2x and 3x their clean rate)',
    '',
    "Load: bench/scenarios/uac-overload.xml, sipp -sn uac's call where a 5xx to the INVITE is a **refused** call (ACKed, ended). " +
      'Each step on a fresh instance, warmed up for 2 s at half the clean rate. **Offered**: the rate asked, and the rate sipp actually ' +
      'placed calls at (_short_ when under 90 % of it: sipp or the machine was the limit). **Goodput**: completed calls (INVITE 200, ' +
      'ACK, BYE 200) per second, over the time calls were placed or until the last 200 when later. **Failed**: placed calls neither ' +
      'completed nor refused (admitted calls that broke down, INVITEs never answered, calls still open when sipp stopped). ' +
      'Setup: INVITE to 200 of the admitted calls. ' +
      `Target (issue 19): under ${OVERLOAD.judgedMultiples.join('x and ')}x, goodput >= ${OVERLOAD.goodputShare * 100} % of the clean rate and 0 failed.`,
    '',
  ];
  lines.push(
    ...markdownTable(
      [
        'system',
        'load',
        'offered cps: asked / placed',
        'goodput cps (of clean)',
        'completed',
        'refused',
        'failed',
        'retransmissions',
        'setup p50 / p99 ms',
        'CPU %',
        'datagrams dropped',
      ],
      overload.flatMap((system) =>
        system.notRun
          ? [[system.label, `not run: ${system.notRun}`]]
          : system.steps.map((s) =>
              s.error
                ? [system.label, `${s.multiple}x`, s.rate, `error: ${s.error}`]
                : [
                    system.label,
                    `${s.multiple}x ${system.base}`,
                    `${s.rate} / ${s.offeredRate}${s.offerShort ? ' _short_' : ''}`,
                    `${s.goodput} (${Math.round(s.goodputShare * 100)} %)`,
                    s.completed,
                    s.refused,
                    s.failed,
                    s.retransmissions,
                    `${s.setupMs.p50 ?? '-'} / ${s.setupMs.p99 ?? '-'}`,
                    cpuText(s.cpuPercent),
                    Object.values(s.udpDrops).reduce((sum, n) => sum + n, 0),
                  ],
            ),
      ),
    ),
  );
  const verdicts = overload
    .filter((system) => !system.notRun)
    .map((system) => {
      const { holds } = overloadVerdict(system);
      const text = smoke
        ? 'n/a (smoke)'
        : holds === null
          ? 'unproven (sipp could not place the load)'
          : holds
            ? 'holds'
            : '**does not hold**';
      return `${system.label}: ${text}`;
    });
  if (verdicts.length) lines.push(`Target: ${verdicts.join('; ')}.`, '');
  return lines;
}
