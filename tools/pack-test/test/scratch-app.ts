import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const WORKSPACE = resolve(__dirname, '..', '..', '..');

/** Every package that is published: the folders under packages/. */
export const PACKAGES: readonly string[] = readdirSync(join(WORKSPACE, 'packages')).sort();

/** Runs a command to the end; throws with its output when it fails. */
export function run(command: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  const result = spawnSync(command, args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} exited with ${result.status}\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result;
}

/**
 * Packs every package (pnpm turns `workspace:^` into `^x.y.z` as it would on publish) and
 * installs the tarballs, with @types/node, into a fresh app in the system's temporary folder,
 * where nothing of the workspace can be found by walking up.
 */
export function createScratchApp(): string {
  const root = mkdtempSync(join(tmpdir(), 'drachtio-pack-test-'));
  const tarballs = join(root, 'tarballs');
  run(
    process.execPath,
    [
      join(WORKSPACE, 'scripts', 'pnpm.mjs'),
      '-r',
      '--filter',
      './packages/*',
      'pack',
      '--pack-destination',
      tarballs,
    ],
    WORKSPACE,
  );

  const app = join(root, 'app');
  mkdirSync(app);
  const dependencies: Record<string, string> = { '@types/node': workspaceVersion('@types/node') };
  for (const name of PACKAGES) {
    const { version } = JSON.parse(
      readFileSync(join(WORKSPACE, 'packages', name, 'package.json'), 'utf8'),
    ) as { version: string };
    dependencies[name] = `file:../tarballs/${name}-${version}.tgz`;
  }
  writeFileSync(
    join(app, 'package.json'),
    JSON.stringify({ name: 'scratch-app', private: true, dependencies }, null, 2),
  );
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], app);
  cpSync(join(__dirname, '..', 'fixtures', 'app'), app, { recursive: true });
  return app;
}

/** The version the workspace pins, so the scratch app type-checks against the same @types/node. */
function workspaceVersion(name: string): string {
  const { devDependencies } = JSON.parse(readFileSync(join(WORKSPACE, 'package.json'), 'utf8')) as {
    devDependencies: Record<string, string>;
  };
  const version = devDependencies[name];
  if (!version) throw new Error(`the workspace root does not pin ${name}`);
  return version;
}
