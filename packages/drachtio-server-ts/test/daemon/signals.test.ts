/**
 * The daemon's signals, on the real process: SIGHUP as logrotate sends it, SIGTERM in the
 * middle of live sipp calls.
 */
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runSipp, startSipp } from 'drachtio-test-kit';
import { CALL_ENDED_BY_SERVER, REFUSED_WITH_RETRY_AFTER } from '../control/scenarios';
import { TestApp } from '../control/test-app';
import { waitFor } from '../engine/helpers';
import { CliProcess } from './run-cli';

const SECRET = 'signals';
const EPHEMERAL = ['--address', '127.0.0.1', '-p', '0', '-c', 'sip:127.0.0.1:0;transport=udp'];

describe('daemon signals', () => {
  let dir: string;
  /** Daemons a failed test may have left running. */
  const daemons: CliProcess[] = [];
  const spawnDaemon = (args: string[]) => {
    const daemon = new CliProcess(args);
    daemons.push(daemon);
    return daemon;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'drachtio-signals-'));
  });
  afterEach(async () => {
    for (const daemon of daemons.splice(0)) {
      if (daemon.child.exitCode === null) daemon.child.kill('SIGKILL');
      await daemon.exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('SIGHUP keeps the daemon, reopens a log file logrotate moved, and reloads level and trace', async () => {
    const log = join(dir, 'drachtio.log');
    const config = join(dir, 'drachtio.json');
    const pidFile = join(dir, 'drachtio.pid');
    writeFileSync(config, JSON.stringify({ secret: SECRET, log: { file: log, level: 'info' } }));
    const daemon = spawnDaemon(['-f', config, ...EPHEMERAL, '--pidfile', pidFile]);
    await logLine(log, 'drachtio-server-ts started');
    expect(readFileSync(pidFile, 'utf8').trim()).toBe(String(daemon.child.pid));

    renameSync(log, `${log}.1`);
    writeFileSync(
      config,
      JSON.stringify({ secret: SECRET, log: { file: log, level: 'debug', sipTrace: true } }),
    );
    daemon.child.kill('SIGHUP');
    const reloaded = await logLine(log, 'SIGHUP: configuration reloaded');
    expect(reloaded).toMatchObject({ reopened: true, logLevel: 'debug', sipTrace: true });
    expect(existsSync(`${log}.1`)).toBe(true);

    // A second SIGHUP with a broken config: logged, ignored, and the daemon still runs.
    writeFileSync(config, JSON.stringify({ secret: SECRET, log: { file: log, levle: 'info' } }));
    daemon.child.kill('SIGHUP');
    const refused = await logLine(log, (msg) =>
      msg.startsWith('SIGHUP: configuration not reloaded'),
    );
    expect(refused.msg).toContain('log.levle: unknown key; known keys: level, file, sipTrace');
    expect(daemon.child.exitCode).toBeNull();

    daemon.child.kill('SIGTERM');
    const result = await daemon.exited;
    expect(result.code).toBe(0);
    expect(existsSync(pidFile)).toBe(false);
    expect(readFileSync(log, 'utf8')).toMatch(/"msg":"stopped after draining 0 calls/);
  });

  it('SIGTERM during 20 live calls: new INVITEs get 503 with Retry-After, every call gets a BYE, exit 0', async () => {
    const config = join(dir, 'drachtio.json');
    writeFileSync(
      config,
      JSON.stringify({ secret: SECRET, shutdown: { drainTimeout: 1500, retryAfter: 30 } }),
    );
    const daemon = spawnDaemon(['-f', config, ...EPHEMERAL]);
    const started = await daemon.logLine('drachtio-server-ts started');
    const remote = (started.contacts as string[])[0].replace(/^sip:/, '').replace(/;.*$/, '');
    const app = await TestApp.connect((started.admin as { port: number }).port, SECRET, [
      'INVITE',
      'BYE',
    ]);

    const calls = await startSipp({
      scenario: CALL_ENDED_BY_SERVER,
      remote,
      calls: 20,
      limit: 20,
      rate: 200,
      timeoutMs: 30000,
    });
    await waitFor(() => app.count('ACK') === 20 || undefined, 15000);

    daemon.child.kill('SIGTERM');
    await daemon.logLine('draining: new calls get 503, calls in progress may finish');
    const refused = await runSipp({ scenario: REFUSED_WITH_RETRY_AFTER, remote });
    expect(refused.errors).toBe('');
    expect(refused.exitCode).toBe(0);

    const live = await calls.done;
    expect(live.errors).toBe('');
    expect(live.successfulCalls).toBe(20);
    expect(live.messages.find((row) => row.message === 'BYE')).toMatchObject({
      direction: 'in',
      count: 20,
    });

    const result = await daemon.exited;
    expect(result.code).toBe(0);
    const summary = JSON.parse(
      result.stdout.split('\n').find((line) => line.includes('stopped after draining')) ?? '{}',
    );
    expect(summary).toMatchObject({
      signal: 'SIGTERM',
      calls: 20,
      endedByThemselves: 0,
      byes: 20,
      byesAnswered: 20,
    });
    expect(summary.ms).toBeGreaterThanOrEqual(1500);
    expect(app.count('INVITE')).toBe(20);
  });
});

/** The first whole JSON line of a log file whose msg matches, once written. */
function logLine(
  file: string,
  msg: string | ((msg: string) => boolean),
): Promise<Record<string, unknown> & { msg: string }> {
  const matches = typeof msg === 'string' ? (text: string) => text === msg : msg;
  return waitFor(() => {
    if (!existsSync(file)) return undefined;
    const lines = readFileSync(file, 'utf8').split('\n').slice(0, -1);
    return lines.map((line) => JSON.parse(line)).find((line) => matches(line.msg));
  }, 10000);
}
