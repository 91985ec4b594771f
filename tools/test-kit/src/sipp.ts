/**
 * sipp as the far end of end-to-end tests. Every sipp started here is killed when the test file
 * ends (an afterAll hook registered on import, plus a process 'exit' guard), so a failing test
 * never leaves a sipp behind holding ports.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports';

export const SIPP_BINARY = process.env.SIPP_BINARY ?? '/usr/bin/sipp';

export interface SippOptions {
  /** A path to an XML scenario, the XML itself (text starting with '<'), or a built-in: 'sn:uac'. */
  scenario: string;
  /** The far end for scenarios that send first: 'host:port', IPv6 as '[::1]:5060'. */
  remote?: string;
  transport?: 'udp' | 'tcp';
  /** Defaults to ::1 when `remote` is IPv6, otherwise 127.0.0.1. */
  localAddress?: string;
  /** Defaults to a free port. */
  localPort?: number;
  /** Calls to run before sipp exits (-m); default 1. */
  calls?: number;
  /** Calls per second (-r). */
  rate?: number;
  /** Maximum simultaneous calls (-l). */
  limit?: number;
  /** sipp fails after this long (-timeout, -timeout_error); default 20 s. */
  timeoutMs?: number;
  /** The user part of the Request-URI sipp sends (-s). */
  service?: string;
  /** Scenario variables set on the command line (-set name value). */
  variables?: Record<string, string | number>;
  /** Keywords usable as [name] in the scenario (-key name value). */
  keys?: Record<string, string | number>;
  /** Anything else for sipp's command line. */
  args?: string[];
}

/** One row of sipp's scenario screen: how often a message was seen, retransmitted, timed out. */
export interface SippMessageStats {
  /** The method or status, e.g. 'INVITE', '200'; 'Pause' rows are left out. */
  message: string;
  /** 'in': sipp received it; 'out': sipp sent it. */
  direction: 'in' | 'out';
  count: number;
  retransmissions: number;
}

export interface SippResult {
  /** sipp's exit code: 0 all calls succeeded, 1 a call failed, 99 no call processed, 255/254 fatal. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  successfulCalls: number;
  failedCalls: number;
  /** The scenario screen's rows, in scenario order (from sipp's final screen). */
  messages: SippMessageStats[];
  /** sipp's error log (unexpected messages, timeouts), empty when there was none. */
  errors: string;
  stdout: string;
  stderr: string;
}

export interface SippProcess {
  readonly address: string;
  readonly port: number;
  readonly transport: 'udp' | 'tcp';
  /** 'host:port' of sipp's SIP socket, IPv6 in brackets. */
  readonly hostport: string;
  /** A SIP URI that reaches sipp, e.g. 'sip:service@127.0.0.1:5070;transport=tcp'. */
  uri(user?: string): string;
  /** Settles when sipp exits. */
  readonly done: Promise<SippResult>;
  /** Stop sipp now (SIGTERM, then SIGKILL) and return what it reported. */
  kill(): Promise<SippResult>;
}

const OUTPUT_LIMIT = 256 * 1024;

/**
 * sipp's error log without its watchdog's overload warnings: those say sipp's own loop ran late
 * on a busy machine, not that the SIP exchange went wrong (unexpected messages and timeouts stay).
 */
function sippErrors(log: string): string {
  const events = log
    .split('\n')
    .filter((line) => line.trim() !== '' && !/^The following events occurred:/.test(line))
    .filter((line) => !/Overload warning: the (minor|major) watchdog timer/.test(line));
  return events.length === 0 ? '' : log;
}
const KILL_GRACE_MS = 1000;
const READY_TIMEOUT_MS = 5000;

/** Live sipp processes and the promise of their result. */
const running = new Map<ChildProcess, Promise<SippResult>>();

/** Start sipp and resolve once its SIP socket is bound, so it can be sent to at once. */
export async function startSipp(options: SippOptions): Promise<SippProcess> {
  const transport = options.transport ?? 'udp';
  const ipv6 = options.localAddress?.includes(':') ?? options.remote?.startsWith('[') ?? false;
  const address = options.localAddress ?? (ipv6 ? '::1' : '127.0.0.1');
  const port = options.localPort ?? (await freePort(transport, address));
  const timeoutMs = options.timeoutMs ?? 20000;

  const workDir = mkdtempSync(join(tmpdir(), 'sipp-'));
  const errorFile = join(workDir, 'errors.log');
  const args = buildArgs(options, { transport, address, port, timeoutMs, workDir, errorFile });

  const child = spawn(SIPP_BINARY, args, { cwd: workDir, stdio: ['ignore', 'pipe', 'pipe'] });
  const stdout = capture(child.stdout);
  const stderr = capture(child.stderr);

  const done = new Promise<SippResult>((resolve) => {
    const watchdog = setTimeout(() => child.kill('SIGKILL'), timeoutMs + 5000);
    const finish = (exitCode: number | null, signal: NodeJS.Signals | null) => {
      clearTimeout(watchdog);
      running.delete(child);
      const out = stdout();
      const errors = sippErrors(existsSync(errorFile) ? readFileSync(errorFile, 'utf8') : '');
      rmSync(workDir, { recursive: true, force: true });
      resolve({
        exitCode,
        signal,
        successfulCalls: lastCumulative(out, 'Successful call'),
        failedCalls: lastCumulative(out, 'Failed call'),
        messages: scenarioRows(out),
        errors,
        stdout: out,
        stderr: stderr(),
      });
    };
    child.once('error', (error) => {
      stderr.append(String(error));
      finish(null, null);
    });
    child.once('exit', (code, signal) => finish(code, signal));
  });
  running.set(child, done);

  await Promise.race([waitUntilBound(transport, address, port), done]);
  if (!running.has(child)) {
    const result = await done;
    throw new Error(
      `sipp exited before it was ready (code ${result.exitCode}): ${result.stderr || result.stdout.slice(-2000)}`,
    );
  }

  const hostport = ipv6 ? `[${address}]:${port}` : `${address}:${port}`;
  return {
    address,
    port,
    transport,
    hostport,
    uri: (user = 'service') =>
      `sip:${user}@${hostport}${transport === 'tcp' ? ';transport=tcp' : ''}`,
    done,
    kill: () => stop(child, done),
  };
}

/** Run sipp to the end and return its result. */
export async function runSipp(options: SippOptions): Promise<SippResult> {
  const sipp = await startSipp(options);
  return sipp.done;
}

/** Kill every sipp this process started (registered as a jest afterAll hook automatically). */
async function killAllSipp(): Promise<void> {
  await Promise.all([...running].map(([child, done]) => stop(child, done)));
}

function buildArgs(
  options: SippOptions,
  resolved: {
    transport: 'udp' | 'tcp';
    address: string;
    port: number;
    timeoutMs: number;
    workDir: string;
    errorFile: string;
  },
): string[] {
  const args: string[] = [];
  if (options.scenario.startsWith('sn:')) {
    args.push('-sn', options.scenario.slice(3));
  } else if (options.scenario.trimStart().startsWith('<')) {
    const file = join(resolved.workDir, 'scenario.xml');
    writeFileSync(file, options.scenario);
    args.push('-sf', file);
  } else {
    args.push('-sf', options.scenario);
  }
  if (options.remote) args.push(options.remote);
  args.push(
    '-t',
    resolved.transport === 'tcp' ? 't1' : 'u1',
    '-i',
    resolved.address,
    '-p',
    String(resolved.port),
    '-m',
    String(options.calls ?? 1),
    '-timeout',
    `${Math.ceil(resolved.timeoutMs / 1000)}s`,
    '-timeout_error',
    '-nostdin',
    '-trace_err',
    '-error_file',
    resolved.errorFile,
  );
  if (options.rate !== undefined) args.push('-r', String(options.rate));
  if (options.limit !== undefined) args.push('-l', String(options.limit));
  if (options.service !== undefined) args.push('-s', options.service);
  for (const [name, value] of Object.entries(options.variables ?? {}))
    args.push('-set', name, String(value));
  for (const [name, value] of Object.entries(options.keys ?? {}))
    args.push('-key', name, String(value));
  args.push(...(options.args ?? []));
  return args;
}

function stop(child: ChildProcess, done: Promise<SippResult>): Promise<SippResult> {
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    const force = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
    void done.then(() => clearTimeout(force));
  }
  return done;
}

/** Keeps the tail of a stream, bounded, and returns it as text on demand. */
function capture(
  stream: NodeJS.ReadableStream | null,
): (() => string) & { append(text: string): void } {
  let text = '';
  const append = (chunk: string) => {
    text += chunk;
    if (text.length > OUTPUT_LIMIT) text = text.slice(-OUTPUT_LIMIT);
  };
  stream?.setEncoding('utf8');
  stream?.on('data', append);
  return Object.assign(() => text, { append });
}

function lastCumulative(screen: string, counter: string): number {
  const pattern = new RegExp(`${counter}\\s*\\|\\s*\\d+\\s*\\|\\s*(\\d+)`, 'g');
  let value = 0;
  for (const match of screen.matchAll(pattern)) value = Number(match[1]);
  return value;
}

/** Parses the last scenario screen: rows like "  INVITE ---------->  1  2  0" or "  <---------- 200  E-RTD1 1  0". */
function scenarioRows(screen: string): SippMessageStats[] {
  const start = screen.lastIndexOf('Messages  Retrans');
  if (start < 0) return [];
  const end = screen.indexOf('Test Terminated', start);
  const rows: SippMessageStats[] = [];
  const row = /^\s*(?:(\S+)\s+(-+>|<-+)|(-+>|<-+)\s+(\S+))\s+(?:[EB]-RTD\d\s+)?(\d+)\s+(\d+)/;
  for (const line of screen
    .slice(start, end < 0 ? undefined : end)
    .split('\n')
    .slice(1)) {
    const match = row.exec(line);
    if (!match) continue;
    const arrow = match[2] ?? match[3] ?? '';
    const message = match[1] ?? match[4] ?? '';
    // A UAC screen writes "INVITE ---->" (sent) and "100 <----" (received); a UAS screen puts the
    // arrow first, pointing the other way: "----> INVITE" (received), "<---- 200" (sent).
    const nameFirst = match[1] !== undefined;
    const direction = nameFirst === arrow.endsWith('>') ? 'out' : 'in';
    rows.push({ message, direction, count: Number(match[5]), retransmissions: Number(match[6]) });
  }
  return rows;
}

/**
 * sipp gives no readiness signal, so watch the kernel's socket tables (Linux) for its port.
 * Probing by binding the port ourselves could steal it from sipp in the moment it binds.
 */
async function waitUntilBound(
  transport: 'udp' | 'tcp',
  address: string,
  port: number,
): Promise<void> {
  const tables = address.includes(':') ? [`/proc/net/${transport}6`] : [`/proc/net/${transport}`];
  const needle = `:${port.toString(16).toUpperCase().padStart(4, '0')} `;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (tables.some((table) => isListed(table, needle, transport))) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function isListed(table: string, localPortNeedle: string, transport: 'udp' | 'tcp'): boolean {
  let content: string;
  try {
    content = readFileSync(table, 'utf8');
  } catch {
    return true; // not Linux: no way to tell, carry on
  }
  for (const line of content.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 4 || !`${fields[1]} `.endsWith(localPortNeedle)) continue;
    if (transport === 'udp' || fields[3] === '0A') return true; // 0A: TCP LISTEN
  }
  return false;
}

process.once('exit', () => {
  for (const child of running.keys()) child.kill('SIGKILL');
});

declare const afterAll: ((fn: () => Promise<void>) => void) | undefined;
if (typeof afterAll === 'function') afterAll(killAllSipp);
