/**
 * The shipped systemd unit passes `systemd-analyze verify`. verify also checks that ExecStart's
 * program exists, so the test points it at this build (node + dist/cli.js) in a copy.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI } from '../daemon/run-cli';

const UNIT = join(
  __dirname,
  '..',
  '..',
  '..',
  '..',
  'deploy',
  'systemd',
  'drachtio-server-ts.service',
);
const ANALYZE = ['/usr/bin/systemd-analyze', '/bin/systemd-analyze'].find((path) =>
  existsSync(path),
);

describe('deploy/systemd/drachtio-server-ts.service', () => {
  const verify = ANALYZE ? it : it.skip;
  if (!ANALYZE)
    process.stdout.write(
      'skipping systemd-analyze verify: systemd-analyze is not installed (apt-get install systemd)\n',
    );

  verify('passes systemd-analyze verify', () => {
    const dir = mkdtempSync(join(tmpdir(), 'drachtio-unit-'));
    try {
      const unit = readFileSync(UNIT, 'utf8').replace(
        /^ExecStart=\/usr\/bin\/drachtio-server-ts/m,
        `ExecStart=${process.execPath} ${CLI}`,
      );
      expect(unit).toContain(`ExecStart=${process.execPath} ${CLI} `);
      const copy = join(dir, 'drachtio-server-ts.service');
      writeFileSync(copy, unit);
      const result = spawnSync(ANALYZE as string, ['verify', copy], { encoding: 'utf8' });
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reloads with SIGHUP and stops with SIGTERM after the drain', () => {
    const unit = readFileSync(UNIT, 'utf8');
    expect(unit).toMatch(/^ExecReload=\/bin\/kill -HUP \$MAINPID$/m);
    expect(unit).toMatch(/^KillSignal=SIGTERM$/m);
    const stopSeconds = Number(/^TimeoutStopSec=(\d+)$/m.exec(unit)?.[1]);
    expect(stopSeconds * 1000).toBeGreaterThan(30_000); // the default shutdown.drainTimeout
  });
});
