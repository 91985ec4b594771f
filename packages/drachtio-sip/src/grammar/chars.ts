/**
 * Character classes of RFC 3261 section 25 as lookup tables indexed by char code, so the
 * scanners test membership with one array read instead of a regular expression.
 */
function table(chars: string, ranges: Array<[string, string]> = []): Uint8Array {
  const t = new Uint8Array(128);
  for (let i = 0; i < chars.length; i++) t[chars.charCodeAt(i)] = 1;
  for (const [from, to] of ranges) {
    for (let c = from.charCodeAt(0); c <= to.charCodeAt(0); c++) t[c] = 1;
  }
  return t;
}

const ALNUM: Array<[string, string]> = [
  ['a', 'z'],
  ['A', 'Z'],
  ['0', '9'],
];

/** token = 1*(alphanum / "-" / "." / "!" / "%" / "*" / "_" / "+" / "`" / "'" / "~") */
const TOKEN = table("-.!%*_+`'~", ALNUM);
/** Characters allowed in a host name or IPv4 address (plus '_', which real networks use). */
const HOST = table('-._', ALNUM);
/** Characters of an IPv6 reference between the brackets (hex digits, ':' and '.' for a v4 tail). */
const IPV6 = table(':.', [
  ['a', 'f'],
  ['A', 'F'],
  ['0', '9'],
]);
/** unreserved = alphanum / mark; these never need %-escaping anywhere in a URI. */
const UNRESERVED = table("-_.!~*'()", ALNUM);
/** user = 1*( unreserved / escaped / user-unreserved ) */
const USER = table("-_.!~*'()&=+$,;?/", ALNUM);
/** password = *( unreserved / escaped / "&" / "=" / "+" / "$" / "," ) */
const PASSWORD = table("-_.!~*'()&=+$,", ALNUM);
/** paramchar = param-unreserved / unreserved / escaped */
const PARAM = table("-_.!~*'()[]/:&+$", ALNUM);
/** hname / hvalue characters = hnv-unreserved / unreserved / escaped */
const HEADER = table("-_.!~*'()[]/?:+$", ALNUM);

export type CharClass = Uint8Array;
export const CharClasses = {
  TOKEN,
  HOST,
  IPV6,
  UNRESERVED,
  USER,
  PASSWORD,
  PARAM,
  HEADER,
} as const;

export function isIn(cls: CharClass, code: number): boolean {
  return code < 128 && cls[code] === 1;
}

export function isTokenChar(code: number): boolean {
  return code < 128 && TOKEN[code] === 1;
}

export function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

export function isWhitespace(code: number): boolean {
  return code === 32 || code === 9;
}

export function isToken(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) if (!isTokenChar(s.charCodeAt(i))) return false;
  return true;
}
