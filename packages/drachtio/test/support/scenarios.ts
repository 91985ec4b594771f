import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A sipp scenario from test/scenarios as XML text, with its {{placeholders}} filled in (sipp's
 * own -key keywords do not reach attributes such as a recv's response code).
 */
export function scenario(name: string, values: Record<string, string | number> = {}): string {
  const xml = readFileSync(join(__dirname, '..', 'scenarios', `${name}.xml`), 'utf8');
  return xml.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    if (!(key in values)) throw new Error(`scenario ${name}: no value for {{${key}}}`);
    return escapeXml(String(values[key]));
  });
}

function escapeXml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/**
 * sipp's own verdict: exit code 0 means every call of the run succeeded (99 would mean none was
 * processed), and its error log is empty. The parsed call counters are not used: sipp's final
 * statistics screen is sometimes missing from its captured output when it exits quickly.
 */
export function expectSippSuccess(result: { exitCode: number | null; errors: string }): void {
  expect(result.errors).toBe('');
  expect(result.exitCode).toBe(0);
}
