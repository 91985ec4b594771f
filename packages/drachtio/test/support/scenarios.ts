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
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
