import { SipParseError } from '../errors';
import { isTokenChar, isWhitespace } from '../grammar/chars';
import { ParamList, Params, WithParams, emptyParams, findParam, serializeParams } from '../grammar/params';
import { Scanner } from '../grammar/scanner';
import { Uri, parseUri, serializeUri } from '../uri/uri';

/**
 * name-addr / addr-spec with header parameters: From, To, Contact, Route, Record-Route,
 * Refer-To, P-Asserted-Identity. `tag` mirrors params.tag (From/To); `expires` and `q` mirror
 * the Contact parameters of those names. When serializing, those fields win over params.
 */
export interface NameAddr {
  /** Display name, unquoted; undefined when absent. */
  name?: string;
  /** The URI as written. */
  uri: string;
  /** The URI, parsed (on first read, for parsed headers: a malformed URI throws SipParseError then). */
  url: Uri;
  /** Header parameters (after the URI), names lower-cased, values verbatim. */
  params: Params;
  tag?: string;
  /** Whether the URI was written inside <>; serialization keeps the addr-spec form only when false. */
  angleBrackets?: boolean;
}

export interface Contact extends NameAddr {
  expires?: number;
  q?: number;
}

export class ParsedNameAddr extends WithParams implements Contact {
  tag: string | undefined = undefined;
  expires: number | undefined = undefined;
  q: number | undefined = undefined;
  private parsedUrl: Uri | undefined = undefined;

  constructor(
    public name: string | undefined,
    public uri: string,
    public angleBrackets: boolean,
    paramList: ParamList,
    private readonly part: string,
  ) {
    super(paramList);
    const tag = findParam(paramList, 'tag');
    if (typeof tag === 'string') this.tag = tag;
  }

  /** Contact's own parameters, checked and mirrored as numbers. */
  readContactFields(): void {
    const expires = findParam(this.paramList, 'expires');
    if (expires !== undefined) this.expires = readExpires(expires);
    const q = findParam(this.paramList, 'q');
    if (q !== undefined) this.q = readQ(q);
  }

  get url(): Uri {
    return (this.parsedUrl ??= parseUriFor(this.uri, this.part));
  }

  set url(url: Uri) {
    this.parsedUrl = url;
  }

  /** The URI text to serialize: as received unless someone may have changed the parsed form. */
  get uriText(): string {
    return this.parsedUrl === undefined ? this.uri : serializeUri(this.parsedUrl);
  }
}

export function parseNameAddr(value: string, part = 'name-addr'): NameAddr {
  const scanner = new Scanner(value, part);
  const addr = readNameAddr(scanner);
  scanner.expectEnd();
  return addr;
}

export function parseContact(value: string): Contact {
  const scanner = new Scanner(value, 'contact');
  const contact = readContact(scanner);
  scanner.expectEnd();
  return contact;
}

/** One name-addr or addr-spec with its parameters; stops before a ',' that starts the next one. */
export function readNameAddr(scanner: Scanner): ParsedNameAddr {
  const s = scanner.s;
  scanner.skipWhitespace();
  let name: string | undefined;
  if (scanner.peek() === 34 /* " */) {
    name = scanner.quoted();
    scanner.skipWhitespace();
    if (scanner.peek() !== 60) scanner.fail('expected "<" after the display name');
  } else if (scanner.peek() !== 60 /* < */) {
    name = readUnquotedDisplayName(scanner);
  }
  if (scanner.peek() === 60) {
    const close = s.indexOf('>', scanner.i + 1);
    if (close < 0) scanner.fail('missing ">"');
    const uri = s.slice(scanner.i + 1, close).trim();
    if (uri.length === 0) scanner.fail('empty URI');
    scanner.i = close + 1;
    return new ParsedNameAddr(name, uri, true, scanner.genericParams(), scanner.part);
  }
  // addr-spec: the URI ends at the first ';' (its parameters would be ambiguous with the header's)
  const start = scanner.i;
  let i = start;
  while (i < s.length && s.charCodeAt(i) !== 59 && s.charCodeAt(i) !== 44 && !isWhitespace(s.charCodeAt(i))) i++;
  if (i === start) scanner.fail('missing URI');
  scanner.i = i;
  return new ParsedNameAddr(undefined, s.slice(start, i), false, scanner.genericParams(), scanner.part);
}

/** Tokens and spaces up to a '<' make a display name; otherwise the cursor stays for an addr-spec. */
function readUnquotedDisplayName(scanner: Scanner): string | undefined {
  const s = scanner.s;
  const start = scanner.i;
  let i = start;
  while (i < s.length && (isTokenChar(s.charCodeAt(i)) || isWhitespace(s.charCodeAt(i)))) i++;
  if (s.charCodeAt(i) !== 60 /* < */) return undefined;
  scanner.i = i;
  let end = i;
  while (end > start && isWhitespace(s.charCodeAt(end - 1))) end--;
  return end > start ? s.slice(start, end) : undefined;
}

export function readContact(scanner: Scanner): Contact {
  const contact = readNameAddr(scanner);
  contact.readContactFields();
  return contact;
}

function readExpires(value: string | null): number {
  if (value === null || value.length === 0 || value.length > 10) throw new SipParseError('contact', 'expires parameter is not delta-seconds');
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) throw new SipParseError('contact', 'expires parameter is not delta-seconds');
  }
  return Number(value);
}

function readQ(value: string | null): number {
  const n = Number(value);
  if (value === null || value.length > 5 || !(n >= 0 && n <= 1)) throw new SipParseError('contact', 'q parameter is not a qvalue');
  return n;
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
  const contact = addr as Contact;
  const params = withField(withField(withField(addr.params, 'tag', addr.tag), 'expires', contact.expires), 'q', contact.q);
  const paramText = serializeParams(params);
  const uri = addr instanceof ParsedNameAddr ? addr.uriText : addr.url ? serializeUri(addr.url) : addr.uri;
  const needsAngles = addr.angleBrackets !== false || addr.name !== undefined || /[;,?]/.test(uri);
  if (!needsAngles) return uri + paramText;
  let out = '';
  if (addr.name !== undefined && addr.name !== '') {
    out +=
      DISPLAY_NAME_NEEDS_QUOTES.test(addr.name) || addr.name.trim() !== addr.name
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
