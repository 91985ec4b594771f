import { SipParseError } from '../errors';
import { isTokenChar, isWhitespace } from '../grammar/chars';
import { Params, WithParams, emptyParams, serializeParams } from '../grammar/params';
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

/** The parameters with fields of their own (tag; Contact's expires and q), read on first access. */
interface NameAddrFields {
  tag: string | undefined;
  expires: number | undefined;
  q: number | undefined;
}

export class ParsedNameAddr extends WithParams implements Contact {
  private fields: NameAddrFields | undefined = undefined;
  private parsedUrl: Uri | undefined = undefined;

  constructor(
    public name: string | undefined,
    public uri: string,
    public angleBrackets: boolean,
    source: string,
    paramStart: number,
    private readonly part: string,
  ) {
    super(undefined, source, paramStart, part);
  }

  get tag(): string | undefined {
    return this.knownFields().tag;
  }

  set tag(tag: string | undefined) {
    this.knownFields().tag = tag;
  }

  get expires(): number | undefined {
    return this.knownFields().expires;
  }

  set expires(expires: number | undefined) {
    this.knownFields().expires = expires;
  }

  get q(): number | undefined {
    return this.knownFields().q;
  }

  set q(q: number | undefined) {
    this.knownFields().q = q;
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

  private knownFields(): NameAddrFields {
    if (this.fields === undefined) {
      const tag = this.param('tag');
      const expires = this.param('expires');
      const q = this.param('q');
      this.fields = {
        tag: tag ?? undefined,
        expires: expires === undefined ? undefined : readExpires(expires, this.part),
        q: q === undefined ? undefined : readQ(q, this.part),
      };
    }
    return this.fields;
  }

  protected publicFields(): readonly string[] {
    return ['name', 'uri', 'tag', 'expires', 'q', 'angleBrackets'];
  }
}

export function parseNameAddr(value: string, part = 'name-addr'): NameAddr {
  const scanner = new Scanner(value, part);
  const addr = readNameAddr(scanner);
  scanner.expectEnd();
  return addr;
}

export function parseContact(value: string): Contact {
  return parseNameAddr(value, 'contact');
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
    const uri = trimmedSlice(s, scanner.i + 1, close);
    if (uri.length === 0) scanner.fail('empty URI');
    scanner.i = close + 1;
    return new ParsedNameAddr(name, uri, true, s, checkParams(scanner), scanner.part);
  }
  // addr-spec: the URI ends at the first ';' (its parameters would be ambiguous with the header's)
  const start = scanner.i;
  let i = start;
  while (
    i < s.length &&
    s.charCodeAt(i) !== 59 &&
    s.charCodeAt(i) !== 44 &&
    !isWhitespace(s.charCodeAt(i))
  )
    i++;
  if (i === start) scanner.fail('missing URI');
  scanner.i = i;
  return new ParsedNameAddr(
    undefined,
    s.slice(start, i),
    false,
    s,
    checkParams(scanner),
    scanner.part,
  );
}

/** s[start, end).trim(), without the call when neither end can be whitespace (nearly always). */
function trimmedSlice(s: string, start: number, end: number): string {
  const text = s.slice(start, end);
  return mayBeSpace(s.charCodeAt(start)) || mayBeSpace(s.charCodeAt(end - 1)) ? text.trim() : text;
}

/** Every char trim() removes is below 33 or above 159. */
function mayBeSpace(code: number): boolean {
  return code <= 32 || code >= 160;
}

/** Checks the parameters at the cursor and moves past them; returns where they start. */
function checkParams(scanner: Scanner): number {
  const start = scanner.i;
  scanner.genericParams(undefined);
  return start;
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

function readExpires(value: string | null, part: string): number {
  if (value === null || value.length === 0 || value.length > 10)
    throw new SipParseError(part, 'expires parameter is not delta-seconds');
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) throw new SipParseError(part, 'expires parameter is not delta-seconds');
  }
  return Number(value);
}

function readQ(value: string | null, part: string): number {
  const n = Number(value);
  if (value === null || value.length === 0 || value.length > 5 || !(n >= 0 && n <= 1))
    throw new SipParseError(part, 'q parameter is not a qvalue');
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
  const params = withField(
    withField(withField(addr.params, 'tag', addr.tag), 'expires', contact.expires),
    'q',
    contact.q,
  );
  const paramText = serializeParams(params);
  const uri =
    addr instanceof ParsedNameAddr ? addr.uriText : addr.url ? serializeUri(addr.url) : addr.uri;
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
