import { SipParseError } from '../errors';
import { isDigit, isTokenChar, isWhitespace } from './chars';
import { ParamList } from './params';

const MAX_SAFE_DIGITS = 15;

/**
 * A cursor over one header value (already unfolded). Each typed-header parser walks its value
 * left to right exactly once, so every parse is linear in the value's length.
 */
export class Scanner {
  i = 0;

  constructor(
    readonly s: string,
    /** Named in errors: the header (or 'uri') this scanner reads. */
    readonly part: string,
  ) {}

  get atEnd(): boolean {
    return this.i >= this.s.length;
  }

  /** Char code at the cursor, NaN at the end (NaN compares unequal to everything). */
  peek(): number {
    return this.s.charCodeAt(this.i);
  }

  fail(reason: string): never {
    throw new SipParseError(this.part, reason);
  }

  // The loops below keep the cursor in a local and store it once: this.i++ per character
  // would be a memory write per character on the hot path.
  skipWhitespace(): void {
    this.i = skipSpaces(this.s, this.i);
  }

  /** Consumes `code` (after optional whitespace) if present. */
  accept(code: number): boolean {
    const i = skipSpaces(this.s, this.i);
    if (this.s.charCodeAt(i) === code) {
      this.i = i + 1;
      return true;
    }
    this.i = i;
    return false;
  }

  expect(code: number, what: string): void {
    if (!this.accept(code)) this.fail(`expected ${what} at offset ${this.i}`);
  }

  expectEnd(): void {
    this.skipWhitespace();
    if (!this.atEnd)
      this.fail(`unexpected "${this.s.slice(this.i, this.i + 10)}" at offset ${this.i}`);
  }

  token(what: string): string {
    const s = this.s;
    const start = skipSpaces(s, this.i);
    let i = start;
    while (i < s.length && isTokenChar(s.charCodeAt(i))) i++;
    if (i === start) this.fail(`expected ${what} at offset ${start}`);
    this.i = i;
    return s.slice(start, i);
  }

  /** A non-negative decimal integer no larger than `max`. */
  integer(what: string, max: number): number {
    const s = this.s;
    const start = skipSpaces(s, this.i);
    let i = start;
    let n = 0;
    while (i < s.length && isDigit(s.charCodeAt(i))) n = n * 10 + (s.charCodeAt(i++) - 48);
    if (i === start) this.fail(`expected ${what} at offset ${start}`);
    if (i - start > MAX_SAFE_DIGITS) this.fail(`${what} is too large`);
    if (n > max) this.fail(`${what} ${n} exceeds ${max}`);
    this.i = i;
    return n;
  }

  /** quoted-string; returns the content with quoted-pairs resolved. */
  quoted(): string {
    this.skipWhitespace();
    const s = this.s;
    if (s.charCodeAt(this.i) !== 34) this.fail(`expected a quoted string at offset ${this.i}`);
    // nearly always without quoted-pairs: two native searches instead of a loop over each char
    const close = s.indexOf('"', this.i + 1);
    if (close > 0) {
      const backslash = s.indexOf('\\', this.i + 1);
      if (backslash < 0 || backslash > close) {
        const content = s.slice(this.i + 1, close);
        this.i = close + 1;
        return content;
      }
    }
    let out = '';
    let chunkStart = ++this.i;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c === 34) {
        out += s.slice(chunkStart, this.i);
        this.i++;
        return out;
      }
      if (c === 92) {
        out += s.slice(chunkStart, this.i);
        if (this.i + 1 >= s.length) break;
        out += s[this.i + 1];
        this.i += 2;
        chunkStart = this.i;
        continue;
      }
      this.i++;
    }
    return this.fail('unterminated quoted string');
  }

  /**
   * A quoted-string kept verbatim (quotes and escapes included), for parameter values whose
   * quoting is meaningful (RFC 3840 feature tags) and must survive a round trip.
   */
  quotedVerbatim(): string {
    const start = this.i;
    this.quoted();
    return this.s.slice(start, this.i);
  }

  /**
   * generic-param list: *( SEMI token [ EQUAL ( token / host / quoted-string ) ] ), names
   * lower-cased, appended to `params` (or only checked, when `params` is undefined). Stops
   * (without consuming) at `stop` (by default the comma ending a list element) or the end.
   */
  genericParams(params: ParamList, stop?: number): ParamList;
  genericParams(params: undefined, stop?: number): undefined;
  genericParams(params: ParamList | undefined, stop = 44 /* , */): ParamList | undefined {
    const s = this.s;
    if (params === undefined) {
      // checking only: one native pass of a pattern that cannot backtrack more than a run of
      // spaces; if it stops short, the loop below reads the same text and says what is wrong.
      // Without a ';' there is nothing to match, and calling the pattern would cost more than
      // the check.
      let i = skipSpaces(s, this.i);
      if (s.charCodeAt(i) === 59 /* ; */) {
        GENERIC_PARAMS.lastIndex = i;
        GENERIC_PARAMS.test(s);
        i = skipSpaces(s, GENERIC_PARAMS.lastIndex);
      }
      if (i >= s.length || s.charCodeAt(i) === stop) {
        this.i = i;
        return undefined;
      }
    }
    for (;;) {
      let i = skipSpaces(s, this.i);
      const c = s.charCodeAt(i);
      if (c !== 59 /* ; */) {
        this.i = i;
        if (i >= s.length || c === stop) return params;
        this.fail(`unexpected "${s[i]}" at offset ${i}`);
      }
      i = skipSpaces(s, i + 1);
      const nameStart = i;
      while (i < s.length && isTokenChar(s.charCodeAt(i))) i++;
      if (i === nameStart) this.fail(`expected a parameter name at offset ${i}`);
      const name =
        params === undefined
          ? ''
          : (knownParamName(s, nameStart, i) ?? s.slice(nameStart, i).toLowerCase());
      i = skipSpaces(s, i);
      if (s.charCodeAt(i) !== 61 /* = */) {
        this.i = i;
        params?.push(name, null);
        continue;
      }
      i = skipSpaces(s, i + 1);
      if (s.charCodeAt(i) === 34) {
        this.i = i;
        const quoted = this.quotedVerbatim();
        params?.push(name, quoted);
        continue;
      }
      // token / host: up to a separator, so IPv6 addresses ("received=::1") pass
      const valueStart = i;
      while (i < s.length && isParamValueChar(s.charCodeAt(i))) i++;
      if (i === valueStart) this.fail(`expected a parameter value at offset ${i}`);
      this.i = i;
      params?.push(name, s.slice(valueStart, i));
    }
  }

  /**
   * A comma-separated list read in one pass: `readElement` consumes one element and stops at
   * the comma (or the end). Empty elements (",,") are skipped, as RFC 3261 7.3.1 allows.
   */
  list<T>(readElement: (scanner: Scanner) => T, out: T[] = []): T[] {
    for (;;) {
      this.skipWhitespace();
      if (this.atEnd) return out;
      if (this.s.charCodeAt(this.i) === 44 /* , */) {
        this.i++;
        continue;
      }
      out.push(readElement(this));
      this.skipWhitespace();
      if (this.atEnd) return out;
      this.expect(44, '","');
    }
  }
}

/** *( SEMI token [ EQUAL ( token / host / quoted-string ) ] ) with optional whitespace, as in genericParams. */
const GENERIC_PARAMS =
  /(?:[ \t]*;[ \t]*[A-Za-z0-9\-.!%*_+`'~]+(?:[ \t]*=[ \t]*(?:[A-Za-z0-9\-.!%*_+`'~:[\]]+|"(?:[^"\\]|\\.)*"))?)*/y;

function skipSpaces(s: string, i: number): number {
  while (i < s.length && isWhitespace(s.charCodeAt(i))) i++;
  return i;
}

function isParamValueChar(c: number): boolean {
  return isTokenChar(c) || c === 58 /* : */ || c === 91 /* [ */ || c === 93; /* ] */
}

/** Parameter names nearly every message carries, by length, so they need no new string. */
const KNOWN_PARAMS: ReadonlyArray<readonly string[]> = [
  [],
  ['q'],
  ['lr'],
  ['tag', 'ttl'],
  ['user'],
  ['maddr', 'rport'],
  ['branch', 'method'],
  ['expires'],
  ['received'],
  ['transport', 'refresher'],
];

function knownParamName(s: string, start: number, end: number): string | undefined {
  const candidates = KNOWN_PARAMS[end - start];
  if (candidates === undefined) return undefined;
  for (const candidate of candidates) if (sameChars(s, start, candidate)) return candidate;
  return undefined;
}

/** Whether `s` holds `word` at `start` (a char loop: cheaper than startsWith for these short words). */
export function sameChars(s: string, start: number, word: string): boolean {
  for (let k = 0; k < word.length; k++)
    if (s.charCodeAt(start + k) !== word.charCodeAt(k)) return false;
  return true;
}
