// results/<name>.md: the run as tables a reader can compare at a glance.
import { cpuText, holdsText, markdownTable } from './markdown.mjs';
import { renderOverload } from './report-overload.mjs';
import { renderPeers } from './report-peers.mjs';

export function renderMarkdown(results) {
  const { machine, settings } = results;
  const lines = [];
  const table = (header, rows) => lines.push(...markdownTable(header, rows));

  lines.push(
    `# drachtio-ts benchmark${settings.smoke ? ' (smoke run: low rates, not a measurement)' : ''}`,
    '',
  );
  lines.push(
    `Machine: ${machine.cores} cores, ${machine.cpuModel}, ${machine.memoryGiB} GiB, Linux ${machine.kernel}; ` +
      `Node ${machine.node}; ${machine.sipp}. Date: ${machine.date}. Run took ${results.durationSeconds} s.`,
    '',
    `Settings: call-rate steps ${settings.steps.join(', ')} cps, ${settings.stepSeconds} s each; ` +
      `calls held ${settings.heldCalls} (established at ${settings.heldRate}/s); soak ${settings.soakSeconds} s` +
      (settings.overloadBase
        ? `; overload from clean rates (a) ${settings.overloadBase.app ?? '-'}, (b) ${settings.overloadBase.b2bua ?? '-'} cps. `
        : '. ') +
      'Every process (sipp UAC, sipp UAS, server, app) runs on the same machine.',
    '',
  );
  // A section measured again after the run, merged in by hand: what it replaced and why.
  if (results.rerun) lines.push(results.rerun, '');

  lines.push('## Targets', '');
  table(
    ['target', 'required', 'measured', 'holds'],
    results.targets.map((t) => [
      t.target,
      t.required,
      t.measured,
      t.unproven && !settings.smoke
        ? `unproven (${t.unproven})`
        : holdsText(t.holds, settings.smoke),
    ]),
  );

  if (results.callRate?.error)
    lines.push('## 1. Call rate', '', `Error: ${results.callRate.error}`, '');
  else if (results.callRate) {
    lines.push('## 1. Call rate (sipp -sn uac: INVITE, 100/180, 200, ACK, BYE, 200)', '');
    lines.push(
      'Max clean rate: the highest step with zero failed calls, zero retransmissions, zero timeouts and ' +
        "sipp keeping up the offered rate. Setup time: sipp's response time 1 (INVITE sent to 200 received), whole ms. " +
        'CPU: percent of one core, per process, over that step; CPU µs per call: that CPU time divided by the calls completed.',
      '',
    );
    rateTables(results.callRate);
    lines.push(...renderPeers(results.callRate, settings.smoke));
  }

  if (results.overload) {
    if (results.overload.error)
      lines.push('## Overload', '', `Error: ${results.overload.error}`, '');
    else lines.push(...renderOverload(results.overload, settings.smoke));
  }

  if (results.transports) {
    lines.push('## Transports (our own UAC over UDP, TCP and TLS against (a))', '');
    if (results.transports.error) lines.push(`Error: ${results.transports.error}`, '');
    else {
      lines.push(
        'The climb of section 1 against (a), the server listening on UDP, TCP and TLS, driven by bench/lib/sip-load.mjs ' +
          "(the same UAC call as sipp's, one connection for TCP and TLS) since Debian's sipp has no TLS. " +
          'A call is clean only when no request was retransmitted (UDP: T1 doubling), no response came twice or late, and both ' +
          'final responses came within 8 s. Setup time: INVITE sent to 200 received, to 0.1 ms. `load` is the generator itself. ' +
          'Not comparable with section 1 (a different UAC); comparable with each other.',
        '',
      );
      rateTables(results.transports);
    }
  }

  if (results.proxy) {
    lines.push(
      '## Proxy (sipp UAC -> proxy -> sipp -sn uas; ACK and BYE along the Record-Route)',
      '',
    );
    if (results.proxy.error) lines.push(`Error: ${results.proxy.error}`, '');
    else {
      lines.push(
        'The call-rate climb of section 1 through a proxy, in the same run: (e) drachtio-server-ts with a drachtio app that proxies every INVITE ' +
          "(req.proxy with recordRoute), beside (f) Kamailio's t_relay (bench/kamailio/t_relay.cfg).",
        '',
      );
      rateTables(results.proxy.systems);
    }
  }

  if (results.callsHeld) {
    const held = results.callsHeld;
    lines.push(`## 2. Calls held (${held.established} established calls through (a))`, '');
    if (held.error) lines.push(`Error: ${held.error}`, '');
    else {
      lines.push(
        "Memory after a forced full GC in each process. 'In flight': right after the last ACK, dialogs plus the " +
          "INVITE transactions that linger 32 s after their 2xx. 'Steady': 36 s later, dialogs only. " +
          'Bytes per dialog = (reading - baseline) / calls; heap = heapUsed + external.',
        '',
      );
      const names = Object.keys(held.memory.baseline);
      table(
        [
          'process',
          'baseline RSS MiB',
          'in flight RSS MiB',
          'steady RSS MiB',
          'after BYEs RSS MiB',
          'B/dialog RSS (steady)',
          'B/dialog heap (steady)',
          'B/call RSS (in flight)',
        ],
        names.map((name) => [
          name,
          mib(held.memory.baseline[name].rss),
          mib(held.memory.inFlight[name].rss),
          mib(held.memory.steady[name].rss),
          mib(held.memory.released[name].rss),
          held.bytesPerCall.steady[name].rss,
          held.bytesPerCall.steady[name].heap,
          held.bytesPerCall.inFlight[name].rss,
        ]),
      );
      lines.push(
        `sipp: ${held.sipp.successfulCalls} successful, ${held.sipp.failedCalls} failed, ${held.sipp.retransmissions} retransmissions.`,
        '',
      );
    }
  }

  if (results.soak) {
    const soak = results.soak;
    lines.push(
      `## Soak (${soak.rate} cps for ${soak.seconds} s through (a))`,
      '',
      `Memory sampled every ${soak.sampleSeconds} s without forcing a GC, after a ${soak.warmUpSeconds} s warm-up. ` +
        "RSS: the peak of each half of the samples. Live heap: the heap after each of V8's own full collections (v8.GCProfiler), fitted linearly.",
      '',
    );
    if (soak.error) lines.push(`Error: ${soak.error}`, '');
    else {
      table(
        [
          'process',
          'RSS peak, 1st half MiB',
          'RSS peak, 2nd half MiB',
          'RSS growth',
          'full GCs',
          'live heap, first MiB',
          'live heap, last MiB',
          'live heap slope KiB/min',
          'holds',
        ],
        Object.entries(soak.growth).map(([name, g]) => [
          name,
          mib(g.rssStart),
          mib(g.rssEnd),
          `${(g.rssGrowth * 100).toFixed(1)} %`,
          g.fullGcs ?? 0,
          mib(g.liveHeapFirst ?? 0),
          mib(g.liveHeapLast ?? 0),
          Math.round(g.heapSlopePerMinute / 1024),
          settings.smoke ? 'n/a (smoke)' : g.holds ? 'yes' : '**no**',
        ]),
      );
      lines.push(
        `sipp: ${soak.sipp.successfulCalls} successful, ${soak.sipp.failedCalls} failed, ${soak.sipp.retransmissions} retransmissions; ` +
          `setup p50 ${soak.sipp.setupMs.p50} ms, p99 ${soak.sipp.setupMs.p99} ms. CPU: ${cpuText(soak.cpuPercent)}.`,
        '',
      );
      if (soak.sipp.failedCalls > 0) {
        const statuses = Object.entries(soak.sipp.unexpectedStatuses ?? {});
        lines.push(
          `Failed calls: ${statuses.length ? statuses.map(([status, count]) => `${status} x ${count}`).join(', ') : 'no unexpected status'}; sipp's first errors:`,
          '',
          '```',
          soak.sipp.errorLog ?? '',
          '```',
          '',
        );
      }
    }
  }

  if (results.parser) {
    lines.push('## 3. Parser throughput (bench/parser, runParserBench())', '');
    if (results.parser.error) lines.push(`Not run: ${results.parser.error}`, '');
    else lines.push(...renderParser(results.parser.results), '');
  }
  return lines.join('\n');

  /** A call-rate climb's summary and every step, for section 1 and the proxy section. */
  function rateTables(list) {
    table(
      [
        'system',
        'max clean cps',
        'setup p50 ms',
        'setup p99 ms',
        'CPU % at max',
        'CPU µs per call at max',
        'machine busy %',
        'next step failed with',
      ],
      list.map((r) =>
        r.notRun || r.error
          ? [
              r.label,
              r.notRun ? 'not run' : 'error',
              '',
              '',
              '',
              '',
              '',
              (r.notRun ?? r.error).split('\n')[0],
            ]
          : [
              r.label,
              r.maxCleanRate,
              r.atMax?.setupMs.p50,
              r.atMax?.setupMs.p99,
              r.atMax ? cpuText(r.atMax.cpuPercent) : '',
              r.atMax?.cpuMicrosPerCall ? cpuText(r.atMax.cpuMicrosPerCall) : '',
              r.atMax?.machineBusyPercent,
              r.limitedBy,
            ],
      ),
    );
    lines.push('Every step:', '');
    table(
      ['system', 'offered cps', 'achieved cps', 'result', 'p50 ms', 'p99 ms', 'CPU %', 'machine %'],
      list.flatMap((r) =>
        r.steps.map((s) => [
          r.label,
          s.rate,
          s.achievedRate,
          (s.clean ? 'clean' : s.problems.join(', ')) +
            (s.retried ? ' (generator short: run again)' : ''),
          s.setupMs.p50,
          s.setupMs.p99,
          cpuText(s.cpuPercent),
          s.machineBusyPercent,
        ]),
      ),
    );
  }
}

/** The parser bench's result shape belongs to its owner; known shapes become a table, others JSON. */
function renderParser(value) {
  if (value?.parsers) {
    const rows = Object.entries(value.parsers).map(
      ([name, r]) => `| ${name} | ${thousands(r.startLine)} | ${thousands(r.allHeaders)} |`,
    );
    return [
      `${value.messageBytes}-byte INVITE, median of ${value.rounds} rounds, messages per second, one core.`,
      '',
      '| parser | start line only | all headers read |',
      '|---|---|---|',
      ...rows,
      value.speedup
        ? `| speedup (drachtio-sip / sip) | ${value.speedup.startLine}x | ${value.speedup.allHeaders}x |`
        : '',
    ];
  }
  const rows = Array.isArray(value)
    ? value
    : Array.isArray(value?.results)
      ? value.results
      : undefined;
  if (rows && rows.length && rows.every((row) => row && typeof row === 'object')) {
    const header = [...new Set(rows.flatMap((row) => Object.keys(row)))];
    const format = (cell) =>
      typeof cell === 'number'
        ? Number.isInteger(cell)
          ? cell
          : cell.toFixed(2)
        : typeof cell === 'object'
          ? JSON.stringify(cell)
          : cell;
    return [
      `| ${header.join(' | ')} |`,
      `|${header.map(() => '---').join('|')}|`,
      ...rows.map((row) => `| ${header.map((key) => format(row[key]) ?? '').join(' | ')} |`),
    ];
  }
  return ['```json', JSON.stringify(value, null, 2), '```'];
}

const thousands = (n) => (typeof n === 'number' ? n.toLocaleString('en-US') : n);
const mib = (bytes) => (bytes / 2 ** 20).toFixed(1);
