import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCompanion } from '../src/optional-packages';

describe('loadCompanion (drachtio.session / drachtio.dialog)', () => {
  const home = process.cwd();
  let appDir: string;

  beforeAll(() => {
    // An application folder that installed a companion package drachtio itself does not depend on.
    appDir = mkdtempSync(join(tmpdir(), 'drachtio-app-'));
    const pkg = join(appDir, 'node_modules', 'drachtio-companion-probe');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(
      join(pkg, 'package.json'),
      JSON.stringify({ name: 'drachtio-companion-probe', main: 'index.js' }),
    );
    writeFileSync(
      join(pkg, 'index.js'),
      "exports.default = function probe() { return 'middleware'; };",
    );
    process.chdir(appDir);
  });

  afterAll(() => {
    process.chdir(home);
    rmSync(appDir, { recursive: true, force: true });
  });

  it('finds a package installed by the application and returns its default export', () => {
    const factory = loadCompanion<() => string>('drachtio-companion-probe');
    expect(factory()).toBe('middleware');
  });

  it('names the missing package and how to install it', () => {
    expect(() => loadCompanion('drachtio-not-installed')).toThrow(
      "drachtio.not-installed needs the package 'drachtio-not-installed', which is not installed: npm install drachtio-not-installed",
    );
  });
});
