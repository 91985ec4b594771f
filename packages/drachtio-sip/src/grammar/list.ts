/**
 * Splits a header value at the commas that separate list elements (RFC 3261 7.3.1). Commas
 * inside a quoted string or between angle brackets belong to the element. One pass; elements
 * are trimmed; empty elements (",,") are dropped.
 */
export function splitList(value: string): string[] {
  const out: string[] = [];
  if (value.indexOf(',') < 0) {
    pushTrimmed(out, value, 0, value.length);
    return out;
  }
  let start = 0;
  let inQuotes = false;
  let inAngles = false;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (inQuotes) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inQuotes = false;
    } else if (c === 34) {
      inQuotes = true;
    } else if (c === 60 /* < */) {
      inAngles = true;
    } else if (c === 62 /* > */) {
      inAngles = false;
    } else if (c === 44 /* , */ && !inAngles) {
      pushTrimmed(out, value, start, i);
      start = i + 1;
    }
  }
  pushTrimmed(out, value, start, value.length);
  return out;
}

function pushTrimmed(out: string[], s: string, start: number, end: number): void {
  while (start < end && isSpace(s.charCodeAt(start))) start++;
  while (end > start && isSpace(s.charCodeAt(end - 1))) end--;
  if (end > start) out.push(start === 0 && end === s.length ? s : s.slice(start, end));
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9;
}
