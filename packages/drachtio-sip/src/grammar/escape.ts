import { SipParseError } from '../errors';
import { CharClass, isIn } from './chars';

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 65 && c <= 70) return c - 55;
  if (c >= 97 && c <= 102) return c - 87;
  return -1;
}

/**
 * Resolves %-escapes. The escaped octets are decoded as UTF-8 (invalid sequences become
 * U+FFFD rather than an exception, unlike decodeURIComponent). Characters outside `allowed`
 * (and not escaped) are an error of `part`.
 */
export function unescapeChars(s: string, allowed: CharClass, part: string, what: string): string {
  let hasEscape = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 37 /* % */) {
      if (hexValue(s.charCodeAt(i + 1)) < 0 || hexValue(s.charCodeAt(i + 2)) < 0) {
        throw new SipParseError(part, `bad %-escape in ${what}`);
      }
      hasEscape = true;
      i += 2;
    } else if (!isIn(allowed, c)) {
      throw new SipParseError(part, `character "${s[i]}" not allowed in ${what}`);
    }
  }
  if (!hasEscape) return s;
  const bytes: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 37) {
      bytes.push(hexValue(s.charCodeAt(i + 1)) * 16 + hexValue(s.charCodeAt(i + 2)));
      i += 2;
    } else {
      bytes.push(c);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

const HEX = '0123456789ABCDEF';

/** %-escapes every byte of the UTF-8 encoding of `s` that is not in `allowed`. */
export function escapeChars(s: string, allowed: CharClass): string {
  let clean = true;
  for (let i = 0; i < s.length; i++) {
    if (!isIn(allowed, s.charCodeAt(i))) {
      clean = false;
      break;
    }
  }
  if (clean) return s;
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    out += isIn(allowed, byte) ? String.fromCharCode(byte) : '%' + HEX[byte >> 4] + HEX[byte & 15];
  }
  return out;
}
