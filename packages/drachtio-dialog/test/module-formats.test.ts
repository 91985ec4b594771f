/**
 * The built package loads the ways applications load it: `require()`, an ES module `import`,
 * and through the core's `drachtio.dialog`.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const packageDir = join(__dirname, '..');

function node(args: string[]): string {
  return execFileSync(process.execPath, args, { cwd: packageDir, encoding: 'utf8' }).trim();
}

describe('module formats', () => {
  it('require() returns the middleware factory with the named exports on it', () => {
    const out = node([
      '-e',
      "const d = require('drachtio-dialog'); console.log(typeof d, d.default === d, typeof d.SipDialog, d.TerminationReason.sessionExpired)",
    ]);
    expect(out).toBe('function true function session expired');
  });

  it('an ES module imports the factory as default and the rest by name', () => {
    const source =
      "import dialog, { SipDialog } from 'drachtio-dialog'; import drachtio from 'drachtio'; console.log(typeof dialog, typeof SipDialog, typeof drachtio.dialog())";
    expect(node(['--input-type=module', '-e', source])).toBe('function function function');
  });
});
