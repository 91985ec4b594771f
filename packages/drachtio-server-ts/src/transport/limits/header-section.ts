/**
 * Reads a raw message's header section without parsing it, for the checks that run before the
 * parser: a byte loop, no allocation unless a caller asks for the text.
 */
const CR = 13;
const LF = 10;
const SP = 32;
const HTAB = 9;

/** Where the header section ends (index of the empty line's CRLF), or the data length. */
export function headerEnd(data: Buffer): number {
  const end = data.indexOf('\r\n\r\n', 0, 'latin1');
  return end < 0 ? data.length : end;
}

/** Header fields in the section (folded continuation lines belong to their field). */
export function countHeaders(data: Buffer, end: number): number {
  let fields = 0;
  for (let i = 0; i < end; i++) {
    if (data[i] !== LF) continue;
    const next = data[i + 1];
    if (next !== SP && next !== HTAB && next !== CR) fields++;
  }
  return fields;
}

/** The header lines as text, start line excluded (latin1: one char per byte, never throws). */
export function headerLines(data: Buffer, end: number): string[] {
  return data.toString('latin1', 0, end).split('\r\n').slice(1);
}
