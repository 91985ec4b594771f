import { Scanner } from '../grammar/scanner';

/**
 * Headers whose value is a single non-negative integer: Max-Forwards, Content-Length, Expires,
 * RSeq. Each has its own upper bound so a huge number from the network cannot slip through.
 */
const NUMERIC_LIMITS: Readonly<Record<string, number>> = {
  'max-forwards': 255,
  'content-length': 2 ** 32 - 1,
  expires: 2 ** 32 - 1,
  rseq: 2 ** 32 - 1,
};

export function parseNumeric(value: string, header: string): number {
  const plain = plainNumber(value, 0, value.length);
  if (plain >= 0 && plain <= (NUMERIC_LIMITS[header] ?? Number.MAX_SAFE_INTEGER)) return plain;
  const scanner = new Scanner(value, header);
  const n = scanner.integer(
    'a non-negative integer',
    NUMERIC_LIMITS[header] ?? Number.MAX_SAFE_INTEGER,
  );
  scanner.expectEnd();
  return n;
}

export function serializeNumeric(n: number): string {
  return String(n);
}

/** The value of s[start, end) when it is 1 to 10 digits and nothing else; -1 otherwise (the caller then reads it the long way). */
export function plainNumber(s: string, start: number, end: number): number {
  if (end <= start || end - start > 10) return -1;
  let n = 0;
  for (let i = start; i < end; i++) {
    const digit = s.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    n = n * 10 + digit;
  }
  return n;
}
