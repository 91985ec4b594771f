/**
 * The C++ drachtio-server's `spammers` section: requests whose given headers contain one of the
 * listed values (case-insensitive substring, as scanners vary version suffixes) are rejected
 * or dropped. Runs on the raw header lines, before the parser spends anything on a scanner.
 */
import { headerKey } from 'drachtio-sip';

export type ScannerAction = 'reject' | 'discard';

export interface ScannerOptions {
  /** What to do on UDP: answer `status` (reject) or drop silently (discard). */
  action: ScannerAction;
  /** The same for stream transports (the C++ server's `tcp-action`). */
  tcpAction: ScannerAction;
  /** The status a rejection carries (the C++ server answers 403). */
  status: number;
  /** Header name -> values that mark a scanner. */
  headers: Record<string, readonly string[]>;
}

export class ScannerFilter {
  private readonly needles = new Map<string, string[]>();

  constructor(options: Pick<ScannerOptions, 'headers'>) {
    for (const [name, values] of Object.entries(options.headers)) {
      const key = headerKey(name);
      const list = this.needles.get(key) ?? [];
      list.push(...values.map((value) => value.toLowerCase()).filter((value) => value !== ''));
      if (list.length > 0) this.needles.set(key, list);
    }
  }

  get enabled(): boolean {
    return this.needles.size > 0;
  }

  /** The header and value matched, or undefined for a request that does not look like a scanner. */
  match(lines: readonly string[]): { header: string; value: string } | undefined {
    for (const line of lines) {
      const colon = line.indexOf(':');
      if (colon <= 0) continue;
      const header = headerKey(line.slice(0, colon).trim());
      const needles = this.needles.get(header);
      if (!needles) continue;
      const value = line.slice(colon + 1).toLowerCase();
      const found = needles.find((needle) => value.includes(needle));
      if (found !== undefined) return { header, value: found };
    }
    return undefined;
  }
}
