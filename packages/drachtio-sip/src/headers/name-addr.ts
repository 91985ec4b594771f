import { SipParseError } from '../errors';
import { isTokenChar, isWhitespace } from '../grammar/chars';
import { Params, Scanner, emptyParams, serializeParams } from '../grammar/scanner';
import { Uri, parseUri, serializeUri } from '../uri/uri';

/**
 * name-addr / addr-spec with header parameters: From, To, Contact, Route, Record-Route,
 * Refer-To, P-Asserted-Identity. `tag` mirrors params.tag (From/To); `expires` and `q` mirror
 * the Contact parameters of those names.
 */
export interface NameAddr {
  /** Display name, unquoted; undefined when absent. */
  name?: string;
  /** The URI as written. */
  uri: string;
  /** The URI, parsed. */
  url: Uri;
  /** Header parameters (after the URI), names lower-cased, values verbatim. */
  params: Params;
  tag?: string;
  /** Whether the URI was written inside <>; serialization keeps that form. */
  angleBrackets?: boolean;
}

export interface Contact extends NameAddr {
  expires?: number;
  q?: number;
}

export function parseNameAddr(value: string, part = 'name-addr'): NameAddr {
  const scanner = new Scanner(value, part);
  const result = readNameAddr(scanner);
  scanner.genericParams(result.params);
  const tag = result.params.tag;
  if (typeof tag === 'string') result.tag = tag;
  return result;
}

export function parseContact(value: string): Contact {
  const contact: Contact = parseNameAddr(value, 'contact');
  const expires = contact.params.expires;
  if (typeof expires === 'string') {
    const seconds = Number(expires);
    if (!/^\d{1,10}$/.test(expires)) throw new SipParseError('contact', 'expires parameter is not delta-seconds');
    contact.expires = seconds;
  }
  const q = contact.params.q;
  if (typeof q === 'string') {
    const n = Number(q);
    if (!(q.length <= 5 && n >= 0 && n <= 1)) throw new SipParseError('contact', 'q parameter is not a qvalue');
    contact.q = n;
  }
  return contact;
}

function readNameAddr(scanner: Scanner): NameAddr {
  const s = scanner.s;
  scanner.skipWhitespace();
  let name: string | undefined;
  if (scanner.peek() === 34 /* " */) {
    name = scanner.quoted();
    scanner.skipWhitespace();
    if (scanner.peek() !== 60) scanner.fail('expected "<" after the display name');
  } else {
    const start = scanner.i;
    let i = start;
    while (i < s.length && (isTokenChar(s.charCodeAt(i)) || isWhitespace(s.charCodeAt(i)))) i++;
    if (s.charCodeAt(i) === 60 /* < */) {
      let end = i;
      while (end > start && isWhitespace(s.charCodeAt(end - 1))) end--;
      if (end > start) name = s.slice(start, end);
      scanner.i = i;
    }
  }
  if (scanner.peek() === 60) {
    const close = s.indexOf('>', scanner.i + 1);
    if (close < 0) scanner.fail('missing ">"');
    const uri = s.slice(scanner.i + 1, close).trim();
    scanner.i = close + 1;
    const addr: NameAddr = { uri, url: parseUriFor(uri, scanner.part), params: emptyParams(), angleBrackets: true };
    if (name !== undefined) addr.name = name;
    return addr;
  }
  // addr-spec: the URI ends at the first ';' (its parameters would be ambiguous with the header's)
  const start = scanner.i;
  let i = start;
  while (i < s.length && s.charCodeAt(i) !== 59 && !isWhitespace(s.charCodeAt(i))) i++;
  if (i === start) scanner.fail('missing URI');
  scanner.i = i;
  const uri = s.slice(start, i);
  return { uri, url: parseUriFor(uri, scanner.part), params: emptyParams(), angleBrackets: false };
}

function parseUriFor(uri: string, part: string): Uri {
  try {
    return parseUri(uri);
  } catch (err) {
    if (err instanceof SipParseError) throw new SipParseError(part, `bad URI: ${err.reason}`);
    throw err;
  }
}

const DISPLAY_NAME_NEEDS_QUOTES = /[^A-Za-z0-9\-.!%*_+`'~ ]/;

export function serializeNameAddr(addr: NameAddr): string {
  const params = withField(withField(addr.params, 'tag', addr.tag), 'expires', (addr as Contact).expires);
  const paramText = serializeParams(withField(params, 'q', (addr as Contact).q));
  const uri = addr.url ? serializeUri(addr.url) : addr.uri;
  const needsAngles = addr.angleBrackets !== false || addr.name !== undefined || /[;,?]/.test(uri);
  if (!needsAngles) return uri + paramText;
  let out = '';
  if (addr.name !== undefined && addr.name !== '') {
    out += DISPLAY_NAME_NEEDS_QUOTES.test(addr.name) || addr.name.trim() !== addr.name
      ? `"${addr.name.replace(/["\\]/g, '\\$&')}" `
      : `${addr.name} `;
  }
  return `${out}<${uri}>${paramText}`;
}

/** The convenience fields win over params when the caller changed them. */
function withField(params: Params, name: string, value: string | number | undefined): Params {
  if (value === undefined || params[name] === String(value)) return params;
  const copy = emptyParams();
  for (const key in params) copy[key] = params[key];
  copy[name] = String(value);
  return copy;
}
