import { Scanner } from '../grammar/scanner';

/**
 * Headers whose value is a single non-negative integer: Max-Forwards, Content-Length, Expires,
 * RSeq. Each has its own upper bound so a huge number from the network cannot slip through.
 */
export const NUMERIC_LIMITS: Readonly<Record<string, number>> = {
  'max-forwards': 255,
  'content-length': 2 ** 32 - 1,
  expires: 2 ** 32 - 1,
  rseq: 2 ** 32 - 1,
};

export function parseNumeric(value: string, header: string): number {
  const scanner = new Scanner(value, header);
  const n = scanner.integer('a non-negative integer', NUMERIC_LIMITS[header] ?? Number.MAX_SAFE_INTEGER);
  scanner.expectEnd();
  return n;
}

export function serializeNumeric(n: number): string {
  return String(n);
}
