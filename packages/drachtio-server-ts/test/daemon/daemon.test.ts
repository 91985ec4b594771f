import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WireClient } from '../control/wire-client';
import { waitFor } from '../engine/helpers';
import { CliProcess, cleanEnv, runCli } from './run-cli';

/** The daemon as users run it: the built CLI in a child process. */
describe('drachtio-server-ts daemon', () => {
  const EPHEMERAL = [
    '--address',
    '127.0.0.1',
    '-p',
    '0',
    '-c',
    'sip:127.0.0.1:0;transport=udp,tcp',
  ];
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'drachtio-daemon-'));
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function oneLine(stderr: string): string {
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    return lines[0];
  }

  it('exits non-zero with one clear line when no secret is configured', async () => {
    const result = await runCli([...EPHEMERAL, '--noconfig']);
    expect(result.code).toBe(1);
    expect(oneLine(result.stderr)).toBe(
      'drachtio-server-ts: no secret configured: pass --secret, set DRACHTIO_SECRET, or put "secret" in the config file',
    );
  });

  it('exits non-zero with one clear line for a config file that is not JSON', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, '{ "secret": ');
    const result = await runCli(['-f', file]);
    expect(result.code).toBe(1);
    expect(oneLine(result.stderr)).toMatch(
      new RegExp(`^drachtio-server-ts: config file ${file} is not valid JSON`),
    );
  });

  it('exits non-zero with one clear line for a bad setting', async () => {
    const file = join(dir, 'typo.json');
    writeFileSync(file, JSON.stringify({ secret: 's', contact: ['sip:127.0.0.1'] }));
    const typo = await runCli(['-f', file]);
    expect(typo.code).toBe(1);
    expect(oneLine(typo.stderr)).toBe(
      `drachtio-server-ts: config file ${file}: contact: unknown key; known keys: secret, contacts, admin, requests, limits, sip, log, homer, prometheus, shutdown, user, pidFile`,
    );
    const badContact = await runCli(['--secret', 's', '-c', 'http://example.com']);
    expect(badContact.code).toBe(1);
    expect(oneLine(badContact.stderr)).toMatch(/invalid SIP contact 'http:\/\/example.com'/);
    const badLevel = await runCli(['--secret', 's', '-l', 'chatty']);
    expect(oneLine(badLevel.stderr)).toMatch(/invalid log level 'chatty'/);
  });

  it('refuses config typos at depth 1 and 2 with the path and the known keys of that level', async () => {
    const file = join(dir, 'nested.json');
    writeFileSync(file, JSON.stringify({ secret: 's', admin: { prot: 9022 } }));
    const depth1 = await runCli(['-f', file]);
    expect(depth1.code).toBe(1);
    expect(oneLine(depth1.stderr)).toBe(
      `drachtio-server-ts: config file ${file}: admin.prot: unknown key; known keys: address, port, tls`,
    );
    writeFileSync(
      file,
      JSON.stringify({ secret: 's', sip: { timers: { t3: 1 } }, admin: { tls: { cert: 'x' } } }),
    );
    const depth2 = await runCli(['-f', file]);
    expect(depth2.code).toBe(1);
    expect(oneLine(depth2.stderr)).toBe(
      `drachtio-server-ts: config file ${file}: admin.tls.cert: unknown key; known keys: certFile, keyFile; sip.timers.t3: unknown key; known keys: t1, t2, t4, timerC`,
    );
    writeFileSync(file, JSON.stringify({ secret: 's', admin: { port: '9022' } }));
    expect(oneLine((await runCli(['-f', file])).stderr)).toBe(
      `drachtio-server-ts: config file ${file}: admin.port: must be integer`,
    );
  });

  it('exits non-zero with one clear line when a port it needs is in use', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      const result = await runCli([
        '--secret',
        's',
        '--address',
        '127.0.0.1',
        '-p',
        String(port),
        '-c',
        'sip:127.0.0.1:0',
        '-l',
        'silent',
      ]);
      expect(result.code).toBe(1);
      expect(oneLine(result.stderr)).toBe(
        `drachtio-server-ts: cannot listen for applications on 127.0.0.1:${port}: address already in use`,
      );
      const metrics = await runCli([
        '--secret',
        's',
        ...EPHEMERAL,
        '-l',
        'silent',
        '--prometheus-scrape-port',
        String(port),
      ]);
      expect(metrics.code).toBe(1);
      expect(oneLine(metrics.stderr)).toBe(
        `drachtio-server-ts: cannot serve metrics on 127.0.0.1:${port}: address already in use`,
      );
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });

  it('runs, serves applications, and exits 0 on SIGTERM', async () => {
    const daemon = new CliProcess(['--secret', 'flag-secret', ...EPHEMERAL]);
    const started = await daemon.logLine('drachtio-server-ts started');
    const admin = started.admin as { port: number };
    const app = await WireClient.connect(admin.port);
    const auth = await app.authenticate('flag-secret', 'probe');
    expect(auth).toMatchObject({ ok: true, data: { version: 2, contacts: started.contacts } });
    daemon.child.kill('SIGTERM');
    const result = await daemon.exited;
    await app.closed;
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(
      /"msg":"draining: new calls get 503, calls in progress may finish"/,
    );
    expect(result.stdout).toMatch(/"msg":"server stopped"/);
    expect(result.stdout).toMatch(
      /"msg":"stopped after draining 0 calls in \d+ ms: 0 ended by themselves, 0 ended with a BYE \(0 answered\)"/,
    );
  });

  it('exits 0 on SIGINT too', async () => {
    const daemon = new CliProcess(['--secret', 's', ...EPHEMERAL]);
    await daemon.logLine('drachtio-server-ts started');
    daemon.child.kill('SIGINT');
    expect((await daemon.exited).code).toBe(0);
  });

  it('layers settings: file < environment < flags', async () => {
    const file = join(dir, 'drachtio.json');
    writeFileSync(
      file,
      JSON.stringify({
        secret: 'from-file',
        admin: { address: '127.0.0.1', port: 0 },
        contacts: ['sip:127.0.0.1:0'],
        log: { level: 'warn' },
      }),
    );
    const daemon = new CliProcess(
      ['-f', file, '-l', 'info'],
      cleanEnv({ DRACHTIO_SECRET: 'from-env' }),
    );
    const started = await daemon.logLine('drachtio-server-ts started');
    const app = await WireClient.connect((started.admin as { port: number }).port);
    expect(await app.authenticate('from-env')).toMatchObject({ ok: true });
    daemon.child.kill('SIGTERM');
    expect((await daemon.exited).code).toBe(0);
  });

  it('prints its version and its flags', async () => {
    const version = await runCli(['-v']);
    expect(version.stdout.trim()).toBe(
      JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')).version,
    );
    const help = await runCli(['--help']);
    const flags = [
      '-f, --file',
      '-p, --port',
      '--address',
      '--secret',
      '-c, --contact',
      '-l, --loglevel',
      '--noconfig',
      '--daemon',
      '-v, --version',
      '-h, --help',
    ];
    const operations = [
      '--sip-trace',
      '--homer <host:port>',
      '--homer-id <id>',
      '--prometheus-scrape-port <[addr:]port>',
      '--user <user[:group]>',
      '--pidfile <path>',
    ];
    for (const flag of [...flags, ...operations]) {
      expect(help.stdout).toContain(flag);
    }
  });

  it('--daemon starts in the background and reports its pid', async () => {
    const logFile = join(dir, 'daemon.log');
    const result = await runCli(
      ['--daemon', '--secret', 's', ...EPHEMERAL],
      cleanEnv({ DRACHTIO_LOGFILE: logFile }),
    );
    expect(result.code).toBe(0);
    const pid = Number(/pid (\d+)/.exec(result.stdout)?.[1]);
    expect(pid).toBeGreaterThan(0);
    try {
      // The daemon's logger writes asynchronously: its first line may land after the pid is reported.
      const started = await logLine(logFile, 'drachtio-server-ts started');
      const app = await WireClient.connect(started.admin.port);
      expect(await app.authenticate('s')).toMatchObject({ ok: true });
      await app.close();
    } finally {
      process.kill(pid, 'SIGTERM');
      while (isAlive(pid)) await new Promise((resolve) => setTimeout(resolve, 20));
    }
  });

  const asRoot = process.getuid?.() === 0 ? it : it.skip;
  asRoot('--user: binds as root, then runs as the user given', async () => {
    const daemon = new CliProcess(['--secret', 's', ...EPHEMERAL, '--user', 'nobody']);
    const running = await daemon.logLine('running as nobody');
    await daemon.logLine('drachtio-server-ts started');
    const status = readFileSync(`/proc/${daemon.child.pid}/status`, 'utf8');
    const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]);
    expect(uid).toBe(running.uid);
    expect(uid).not.toBe(0);
    daemon.child.kill('SIGTERM');
    expect((await daemon.exited).code).toBe(0);
  });

  it('--user refuses a user that does not exist, with one line', async () => {
    const result = await runCli([
      '--secret',
      's',
      ...EPHEMERAL,
      '-l',
      'silent',
      '--user',
      'no-such-user-here',
    ]);
    expect(result.code).toBe(1);
    expect(oneLine(result.stderr)).toMatch(
      /^drachtio-server-ts: (unknown user 'no-such-user-here' for --user|--user no-such-user-here needs the daemon to start as root)$/,
    );
  });

  it('--daemon reports a start-up failure in the foreground', async () => {
    const result = await runCli([
      '--daemon',
      '--secret',
      's',
      '--address',
      '192.0.2.1',
      '-p',
      '0',
      '-c',
      'sip:127.0.0.1:0',
    ]);
    expect(result.code).toBe(1);
    expect(oneLine(result.stderr)).toBe(
      'drachtio-server-ts: cannot listen for applications on 192.0.2.1:0: address not available on this host',
    );
  });
});

/** The first whole JSON log line of `file` whose msg is `msg`, once it is there (the last line may still be being written). */
function logLine(file: string, msg: string): Promise<{ admin: { port: number } }> {
  return waitFor(() => {
    if (!existsSync(file)) return undefined;
    const lines = readFileSync(file, 'utf8').split('\n').slice(0, -1);
    return lines.map((line) => JSON.parse(line)).find((line) => line.msg === msg);
  }, 5000);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
