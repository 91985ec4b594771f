import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * The seed's snippets typed under `strict` against the built package's declarations (CommonJS
 * output and an ES module, both through the default import), including the @ts-expect-error lines
 * that prove wrong usage is refused. See test/types/.
 */
describe('types', () => {
  it('every seed snippet compiles with tsc --strict, and misuse does not', () => {
    const tsc = require.resolve('typescript/bin/tsc');
    const result = spawnSync(
      process.execPath,
      [tsc, '-p', join(__dirname, 'types', 'tsconfig.json')],
      { encoding: 'utf8' },
    );
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});
