/**
 * Overload control as an operator sets it: the config file's `sip.overload` (checked by the
 * JSON Schema) and `--overload-target-delay`, which wins over the file and turns it off with 0.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../src/config';

describe('overload settings', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'drachtio-overload-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const configFile = (overload: unknown): string => {
    const file = join(dir, 'overload.json');
    writeFileSync(file, JSON.stringify({ secret: 's', sip: { overload } }));
    return file;
  };

  test('nothing set: the engine defaults apply (on, 100 ms)', () => {
    expect(loadConfig({ secret: 's', noconfig: true }, {}).sip?.overload).toBeUndefined();
  });

  test('the file sets them, the flag wins', () => {
    const file = configFile({ targetDelay: 80, retryAfter: 10 });
    expect(loadConfig({ file }, {}).sip?.overload).toEqual({ targetDelay: 80, retryAfter: 10 });
    expect(loadConfig({ file, overloadTargetDelay: '120' }, {}).sip?.overload).toEqual({
      enabled: true,
      targetDelay: 120,
      retryAfter: 10,
    });
  });

  test('--overload-target-delay 0 turns it off', () => {
    const file = configFile({ enabled: true });
    expect(loadConfig({ file, overloadTargetDelay: '0' }, {}).sip?.overload).toEqual({
      enabled: false,
    });
  });

  test.each([['-1'], ['fast'], ['10001']])('--overload-target-delay %s is refused', (value) => {
    expect(() =>
      loadConfig({ secret: 's', noconfig: true, overloadTargetDelay: value }, {}),
    ).toThrow(`--overload-target-delay must be whole ms from 0 (off) to 10000, not "${value}"`);
  });

  test('the schema refuses an unknown key and a target of 0', () => {
    expect(() => loadConfig({ file: configFile({ target: 50 }) }, {})).toThrow(/overload/);
    expect(() => loadConfig({ file: configFile({ targetDelay: 0 }) }, {})).toThrow(/targetDelay/);
  });
});
