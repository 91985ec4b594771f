import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { declaredValueExports, type Format } from './declared-exports';
import { createScratchApp, PACKAGES, run } from './scratch-app';

/**
 * The packages as npm delivers them, used from an app outside the workspace (see README.md).
 * One scratch install (packing and npm install: the slow part) serves every check.
 */
const ENTRY_POINTS = [...PACKAGES, 'drachtio-msml/simulator'];

let app: string;
let declared: Map<string, Record<Format, string[]>>;

beforeAll(() => {
  app = createScratchApp();
  declared = declaredValueExports(app, ENTRY_POINTS);
}, 240000);

afterAll(() => {
  if (app && !process.env.KEEP_SCRATCH) rmSync(dirname(app), { recursive: true, force: true });
});

function manifest<T>(name: string): T {
  return JSON.parse(readFileSync(join(app, 'node_modules', name, 'package.json'), 'utf8')) as T;
}

function exportsOf(specifier: string, format: Format): string[] {
  const names = declared.get(specifier)?.[format];
  if (!names) throw new Error(`no declared exports for ${specifier}`);
  return names;
}

describe('the packed packages, installed with npm', () => {
  it('every package installed from its tarball, with internal ranges and the fields npm shows', () => {
    for (const name of PACKAGES) {
      const installed = manifest<
        Record<string, unknown> & {
          dependencies?: Record<string, string>;
          peerDependencies?: Record<string, string>;
          repository?: { directory?: string };
        }
      >(name);
      expect(installed.repository?.directory).toBe(`packages/${name}`);
      expect(installed).toMatchObject({ type: 'commonjs', engines: { node: '>=20' } });
      const internal = Object.entries({
        ...installed.dependencies,
        ...installed.peerDependencies,
      }).filter(([dep]) => PACKAGES.includes(dep));
      for (const [dep, range] of internal) expect(`${dep}@${range}`).toMatch(/@\^\d+\.\d+\.\d+$/);
    }
  });

  it('the declarations give ES modules and CommonJS the same runtime exports', () => {
    for (const specifier of ENTRY_POINTS) {
      expect(exportsOf(specifier, 'import')).toEqual(exportsOf(specifier, 'require'));
      expect(exportsOf(specifier, 'import').length).toBeGreaterThan(0);
    }
  });

  it("require() of every package has every declared export, and the seed's callable forms work", () => {
    const expected = Object.fromEntries(
      ENTRY_POINTS.map((specifier) => [specifier, exportsOf(specifier, 'require')]),
    );
    writeFileSync(join(app, 'expected.json'), JSON.stringify(expected, null, 2));
    expect(run(process.execPath, ['require-check.cjs'], app).stdout).toContain('require ok');
  });

  it('an ES module imports every declared runtime export by name, and the default', () => {
    const lines = ENTRY_POINTS.flatMap((specifier, i) => {
      const names = exportsOf(specifier, 'import');
      return [
        `import p${i}, { ${names.map((name, j) => `${name} as p${i}_${j}`).join(', ')} } from '${specifier}';`,
        `check('${specifier}', p${i}, [${names.map((_, j) => `p${i}_${j}`).join(', ')}]);`,
      ];
    });
    const source = [
      'function check(specifier, main, values) {',
      '  if (main === undefined) throw new Error(`${specifier}: no default`);',
      '  if (values.some((value) => value === undefined)) throw new Error(`${specifier}: a named export is undefined`);',
      '}',
      ...lines,
      "console.log('import ok');",
    ].join('\n');
    writeFileSync(join(app, 'import-check.mjs'), source);
    expect(run(process.execPath, ['import-check.mjs'], app).stdout).toContain('import ok');
  });

  it('a strict typed app compiles against the public types (tsc --noEmit, CommonJS and ES module)', () => {
    const tsc = require.resolve('typescript/bin/tsc');
    const result = spawnSync(process.execPath, [tsc, '-p', join(app, 'typed', 'tsconfig.json')], {
      cwd: app,
      encoding: 'utf8',
    });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  describe("the server's bin", () => {
    const bin = (...args: string[]) =>
      spawnSync('npx', ['--no', '--', 'drachtio-server-ts', ...args], {
        cwd: app,
        encoding: 'utf8',
        timeout: 30000,
      });

    it('--version prints the package version', () => {
      const { version } = manifest<{ version: string }>('drachtio-server-ts');
      const result = bin('--version');
      expect(result.status).toBe(0);
      expect(result.stdout.trim()).toBe(version);
    });

    it('--help describes the flags', () => {
      const result = bin('--help');
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(/^Usage: drachtio-server-ts/m);
      expect(result.stdout).toContain('--secret');
    });

    it('an unknown flag fails with a message', () => {
      const result = bin('--no-such-flag');
      expect(result.status).not.toBe(0);
      expect(result.stderr).toContain("unknown option '--no-such-flag'");
    });
  });
});
