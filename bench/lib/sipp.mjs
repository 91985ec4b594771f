// sipp as load generator and as far end. A run writes sipp's statistics (-trace_stat), every
// call's setup time (-trace_rtt) and its final screen (-trace_screen) into a scratch
// directory; the result is read from those files, never from the interactive screen.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readIfPresent } from './files.mjs';
import { freeUdpPort } from './ports.mjs';
import { percentile } from './stats.mjs';

export const SIPP = process.env.SIPP_BINARY ?? '/usr/bin/sipp';

/** Every sipp still running, killed if the runner exits early (Ctrl-C, a crash). */
const running = new Set();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * sipp's own socket buffers (64 KiB by default) overflow in a burst at a few thousand calls a
 * second and the drops would be blamed on the system under test: give it the kernel's maximum
 * (net.core.rmem_max is 4 MiB here).
 */
const SOCKET_BUFFER = ['-buff_size', '4194304'];

function spawnSipp(args, dir) {
  if (!existsSync(SIPP))
    throw new Error(`sipp not found at ${SIPP}: apt-get install sip-tester, or set SIPP_BINARY`);
  const child = spawn(SIPP, [...args, ...SOCKET_BUFFER], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

/**
 * Start sipp's built-in UAS (`-sn uas`), or `scenario` (an XML file): answers INVITE with 180
 * and 200, BYE with 200.
 * Resolves once it is bound; `stop()` ends it.
 */
export async function startSippUas(scenario) {
  const port = await freeUdpPort();
  const dir = mkdtempSync(join(tmpdir(), 'bench-sipp-uas-'));
  const builtIn = scenario ? ['-sf', scenario] : ['-sn', 'uas'];
  const child = spawnSipp(
    [...builtIn, '-i', '127.0.0.1', '-p', String(port), '-t', 'u1', '-nostdin'],
    dir,
  );
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await waitUntilBound(port, exited);
  return {
    pid: child.pid,
    hostport: `127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(force);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Run sipp's built-in UAC (`-sn uac`: INVITE, 100/180, 200, ACK, pause, BYE, 200) against
 * `remote` at `rate` calls per second until `calls` calls were placed.
 * `onStart(pid)` runs once sipp is spawned (to measure its CPU); `pauseMs` holds each call;
 * `scenario`, an XML file, replaces the built-in one; `limit` caps the calls open at once.
 */
export async function runSippUac({
  remote,
  rate,
  calls,
  pauseMs = 0,
  limit,
  timeoutSeconds,
  recvTimeoutMs,
  onStart,
  scenario,
}) {
  const port = await freeUdpPort();
  const dir = mkdtempSync(join(tmpdir(), 'bench-sipp-uac-'));
  const timeout = timeoutSeconds ?? Math.ceil(calls / rate + pauseMs / 1000 + 30);
  const args = [
    ...(scenario ? ['-sf', scenario] : ['-sn', 'uac']),
    remote,
    '-i',
    '127.0.0.1',
    '-p',
    String(port),
    '-t',
    'u1',
    '-r',
    String(rate),
    '-m',
    String(calls),
    '-d',
    String(pauseMs),
    '-nostdin',
    '-timeout',
    `${timeout}s`,
    '-timeout_error',
    '-trace_stat',
    '-stf',
    'stat.csv',
    '-fd',
    '1',
    '-trace_rtt',
    '-rtt_freq',
    '1', // sipp drops a batch not yet full at exit
    '-trace_screen',
    '-screen_file',
    'screen.log',
    '-trace_err',
    '-error_file',
    'errors.log',
  ];
  if (limit !== undefined) args.push('-l', String(limit));
  // A call waiting longer than this for its next message is aborted (and counted failed).
  if (recvTimeoutMs !== undefined) args.push('-recv_timeout', String(recvTimeoutMs));
  const child = spawnSipp(args, dir);
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr = (stderr + chunk).slice(-4000)));
  const exit = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  onStart?.(child.pid);
  const startedAt = Date.now();
  const exitCode = await exit;
  const wallSeconds = (Date.now() - startedAt) / 1000;
  try {
    return { exitCode, wallSeconds, ...readResults(dir), stderr: stderr.trim() };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A running UAC the caller stops: for held calls and the soak, where the run is watched live. */
export async function startSippUac(options) {
  let done;
  const pid = await new Promise((resolve, reject) => {
    done = runSippUac({ ...options, onStart: resolve });
    done.catch(reject); // sipp that never started: the caller hears it here
  });
  return { pid, done };
}

function readResults(dir) {
  const files = readdirSync(dir);
  const statRows = statTable(readIfPresent(join(dir, 'stat.csv')));
  const stats = statRows.at(-1) ?? {};
  const screen = readIfPresent(join(dir, 'screen.log'));
  const rttFile = files.find((name) => name.endsWith('_rtt.csv'));
  const responseTimes = rttFile ? responseTimesMs(readIfPresent(join(dir, rttFile))) : {};
  const setupTimes = responseTimes['1']?.times ?? [];
  const errors = readIfPresent(join(dir, 'errors.log'));
  const counter = (name) => Number(stats[name] ?? 0);
  return {
    callsCreated: counter('TotalCallCreated'),
    successfulCalls: counter('SuccessfulCall(C)'),
    failedCalls: counter('FailedCall(C)'),
    retransmissions: Math.max(counter('Retransmissions(C)'), screenColumnTotal(screen, 1)),
    timeouts: screenColumnTotal(screen, 2),
    unexpectedMessages: screenUnexpected(screen),
    unexpectedStatuses: unexpectedStatuses(errors),
    callRate: Number(stats['CallRate(C)'] ?? 0),
    placingRate: placingRate(statRows),
    // scenarios/uac-overload.xml's refused calls: one response time 2 (INVITE to 5xx) each.
    refusedCalls: responseTimes['2']?.times.length ?? 0,
    /** When the last 200 to an INVITE came, in seconds after sipp started. */
    lastSetupAtSeconds: (responseTimes['1']?.lastAtMs ?? 0) / 1000,
    setupMs: {
      samples: setupTimes.length,
      p50: percentile(setupTimes, 50),
      p99: percentile(setupTimes, 99),
      // A reduce, not Math.max(...times): a long soak has more samples than the call stack has room for.
      max: setupTimes.length ? setupTimes.reduce((a, b) => (b > a ? b : a)) : null,
    },
    errorLog: errors.split('\n').filter(Boolean).slice(0, 5).join('\n'),
  };
}

/**
 * What the unexpected messages were, from sipp's error log ("... received 'SIP/2.0 503 ...'"):
 * { '503': 15965 }. A 503 from the server under load means a bound was reached, not a crash.
 */
function unexpectedStatuses(errors) {
  const counts = {};
  for (const match of errors.matchAll(/received 'SIP\/2\.0 (\d{3})/g))
    counts[match[1]] = (counts[match[1]] ?? 0) + 1;
  return counts;
}

/** The rows of sipp's statistics CSV (one a second with -fd 1, and one at exit) as { column: value }. */
function statTable(csv) {
  const [header, ...rows] = csv
    .split('\n')
    .filter((line) => line.includes(';'))
    .map((line) => line.split(';'));
  if (!header) return [];
  return rows.map((row) => Object.fromEntries(header.map((name, index) => [name, row[index]])));
}

/**
 * The rate at which sipp placed its calls, while it was placing them: its cumulative CallRate
 * also counts the wait for the last calls to end, long under overload. Read from the last
 * per-second row written before the last call was placed; undefined when placing took under
 * a second.
 */
function placingRate(rows) {
  const created = (row) => Number(row.TotalCallCreated ?? 0);
  const total = rows.length ? created(rows.at(-1)) : 0;
  const row = rows.filter((r) => created(r) > 0 && created(r) < total).at(-1);
  if (!row) return undefined;
  const seconds = epochSeconds(row.CurrentTime) - epochSeconds(row.StartTime);
  return seconds > 0 ? created(row) / seconds : undefined;
}

/** A sipp time cell ('2026-12-05\t13:21:24.185381\t1796476884.185381'): its epoch seconds. */
function epochSeconds(cell) {
  return Number(String(cell).split('\t').pop());
}

/**
 * sipp's response times by their name, from -trace_rtt ('Date_ms;response_time_ms;rtd_no', the
 * date in ms since sipp started): { [name]: { times: [ms, ...], lastAtMs } }. '1' is the setup
 * time (INVITE sent to 200 received) in every scenario here.
 */
function responseTimesMs(csv) {
  const byName = {};
  for (const line of csv.split('\n')) {
    const [at, ms, rtd] = line.split(';');
    if (rtd === undefined || !/^\d/.test(ms)) continue; // the header line, a torn last line
    const entry = (byName[rtd.trim()] ??= { times: [], lastAtMs: 0 });
    entry.times.push(Number(ms));
    entry.lastAtMs = Math.max(entry.lastAtMs, Number(at));
  }
  return byName;
}

/**
 * The message table of sipp's final scenario screen, e.g.
 *   `INVITE ---------->         100       0         0`
 *   `   200 <----------  E-RTD1 100       0         0         0`
 * columns: Messages, Retrans, Timeout, Unexpected-Msg. Sums one column over all rows.
 */
function screenRows(screen) {
  const start = screen.lastIndexOf('Messages  Retrans');
  if (start < 0) return [];
  const rows = [];
  for (const line of screen.slice(start).split('\n').slice(1)) {
    const arrow = /(-{3,}>|<-{3,})/.exec(line);
    if (!arrow) {
      if (line.trim() === '' || line.startsWith('---')) break;
      continue;
    }
    const numbers = line
      .slice(arrow.index + arrow[0].length)
      .trim()
      .split(/\s+/)
      .filter((token) => /^\d+$/.test(token))
      .map(Number);
    rows.push({ incoming: arrow[0].startsWith('<'), numbers });
  }
  return rows;
}

function screenColumnTotal(screen, column) {
  return screenRows(screen).reduce((sum, row) => sum + (row.numbers[column] ?? 0), 0);
}

function screenUnexpected(screen) {
  return screenRows(screen).reduce(
    (sum, row) => sum + (row.incoming ? (row.numbers[3] ?? 0) : 0),
    0,
  );
}

/** sipp gives no readiness signal: watch the kernel's UDP table for its port. */
async function waitUntilBound(port, exited) {
  const needle = `:${port.toString(16).toUpperCase().padStart(4, '0')} `;
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline && !gone) {
    const table = readFileSync('/proc/net/udp', 'utf8');
    if (table.split('\n').some((line) => line.trim().split(/\s+/)[1]?.concat(' ').endsWith(needle)))
      return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`sipp UAS did not bind 127.0.0.1:${port}`);
}
