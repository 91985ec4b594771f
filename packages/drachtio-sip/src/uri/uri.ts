import { SipParseError } from '../errors';
import { CharClasses, isDigit, isIn } from '../grammar/chars';
import { escapeChars, unescapeChars } from '../grammar/escape';
import { ParamList, Params, WithParams, emptyStringMap } from '../grammar/params';

/**
 * A parsed URI. sip: and sips: fill every field; tel: puts the subscriber number in `user`
 * (so `get('from').url.user` is the calling number either way) and leaves `host` empty; any
 * other absolute URI keeps its scheme-specific part verbatim in `opaque`.
 * user, password, parameter and header values are %-unescaped; the serializer escapes again.
 */
export interface Uri {
  scheme: string;
  user?: string;
  password?: string;
  /** Host name, IPv4 address, or IPv6 reference including its brackets ("[2001:db8::1]"). */
  host: string;
  port?: number;
  /** URI parameters, names lower-cased; null for a parameter without value (";lr"). */
  params: Params;
  /** URI headers ("?subject=x&priority=urgent"). */
  headers: Record<string, string>;
  /** Scheme-specific part of a URI that is neither sip, sips nor tel. */
  opaque?: string;
}

const PART = 'uri';

function fail(reason: string): never {
  throw new SipParseError(PART, reason);
}

/** A parsed URI; `params` and `headers` are built on first read. */
class ParsedUri extends WithParams implements Uri {
  user: string | undefined = undefined;
  password: string | undefined = undefined;
  host = '';
  port: number | undefined = undefined;
  opaque: string | undefined = undefined;
  private headerMap: Record<string, string> | undefined = undefined;

  constructor(
    public scheme: string,
    paramList: ParamList,
  ) {
    super(paramList);
  }

  get headers(): Record<string, string> {
    return (this.headerMap ??= emptyStringMap());
  }

  set headers(headers: Record<string, string>) {
    this.headerMap = headers;
  }

  protected publicFields(): readonly string[] {
    return ['scheme', 'user', 'password', 'host', 'port', 'headers', 'opaque'];
  }
}

export function parseUri(text: string): Uri {
  const colon = text.indexOf(':');
  if (colon <= 0) fail(`no scheme in "${text.slice(0, 40)}"`);
  const scheme = text.slice(0, colon).toLowerCase();
  if (scheme === 'sip' || scheme === 'sips') return parseSipUri(text, colon + 1, scheme);
  if (scheme === 'tel') return parseTelUri(text, colon + 1);
  return parseAbsoluteUri(text, colon + 1, scheme);
}

function parseSipUri(s: string, start: number, scheme: string): Uri {
  const paramList: ParamList = [];
  const uri = new ParsedUri(scheme, paramList);
  let i = start;
  const at = s.indexOf('@', i);
  if (at >= 0) {
    const colon = s.indexOf(':', i);
    const userEnd = colon >= 0 && colon < at ? colon : at;
    if (userEnd === i) fail('empty user part');
    uri.user = unescapeChars(s.slice(i, userEnd), CharClasses.USER, PART, 'user');
    if (userEnd < at)
      uri.password = unescapeChars(
        s.slice(userEnd + 1, at),
        CharClasses.PASSWORD,
        PART,
        'password',
      );
    i = at + 1;
  }
  i = readHost(s, i, uri);
  if (s.charCodeAt(i) === 58 /* : */) i = readPort(s, i + 1, uri);
  i = readUriParams(s, i, paramList);
  if (s.charCodeAt(i) === 63 /* ? */) i = readUriHeaders(s, i + 1, uri.headers);
  if (i !== s.length) fail(`unexpected "${s[i]}" at offset ${i}`);
  return uri;
}

function readHost(s: string, i: number, uri: Uri): number {
  const start = i;
  if (s.charCodeAt(i) === 91 /* [ */) {
    i++;
    while (i < s.length && isIn(CharClasses.IPV6, s.charCodeAt(i))) i++;
    if (s.charCodeAt(i) !== 93 /* ] */ || i === start + 1) fail('malformed IPv6 reference');
    i++;
  } else {
    while (i < s.length && isIn(CharClasses.HOST, s.charCodeAt(i))) i++;
    if (i === start) fail('missing host');
  }
  uri.host = s.slice(start, i);
  return i;
}

function readPort(s: string, i: number, uri: Uri): number {
  const start = i;
  while (i < s.length && isDigit(s.charCodeAt(i)) && i - start < 6) i++;
  const port = Number(s.slice(start, i));
  if (i === start || port > 65535) fail('bad port');
  uri.port = port;
  return i;
}

function readUriParams(s: string, i: number, params: ParamList): number {
  while (s.charCodeAt(i) === 59 /* ; */) {
    const start = ++i;
    let eq = -1;
    while (i < s.length) {
      const c = s.charCodeAt(i);
      if (c === 59 || c === 63 /* ? */) break;
      if (c === 61 /* = */ && eq < 0) eq = i;
      i++;
    }
    const nameEnd = eq < 0 ? i : eq;
    if (nameEnd === start) fail('empty parameter name');
    const name = unescapeChars(
      s.slice(start, nameEnd),
      CharClasses.PARAM,
      PART,
      'parameter name',
    ).toLowerCase();
    params.push(
      name,
      eq < 0 ? null : unescapeChars(s.slice(eq + 1, i), CharClasses.PARAM, PART, 'parameter value'),
    );
  }
  return i;
}

function readUriHeaders(s: string, i: number, headers: Record<string, string>): number {
  for (;;) {
    const start = i;
    let eq = -1;
    while (i < s.length && s.charCodeAt(i) !== 38 /* & */) {
      if (s.charCodeAt(i) === 61 && eq < 0) eq = i;
      i++;
    }
    if (eq <= start) fail('URI header without name or "="');
    const name = unescapeChars(s.slice(start, eq), CharClasses.HEADER, PART, 'header name');
    headers[name] = unescapeChars(s.slice(eq + 1, i), CharClasses.HEADER, PART, 'header value');
    if (i >= s.length) return i;
    i++;
  }
}

function parseTelUri(s: string, start: number): Uri {
  const paramList: ParamList = [];
  const uri = new ParsedUri('tel', paramList);
  let i = start;
  while (i < s.length && s.charCodeAt(i) !== 59) i++;
  if (i === start) fail('empty telephone number');
  uri.user = unescapeChars(s.slice(start, i), CharClasses.PARAM, PART, 'telephone number');
  i = readUriParams(s, i, paramList);
  if (i !== s.length) fail(`unexpected "${s[i]}" at offset ${i}`);
  return uri;
}

function parseAbsoluteUri(s: string, start: number, scheme: string): Uri {
  for (let i = 0; i < start - 1; i++) {
    const c = s.charCodeAt(i);
    const ok =
      (c >= 97 && c <= 122) ||
      (c >= 65 && c <= 90) ||
      (i > 0 && (isDigit(c) || c === 43 || c === 45 || c === 46));
    if (!ok) fail('malformed scheme');
  }
  for (let i = start; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 32 || c === 60 || c === 62 || c === 34 || c >= 127) fail('illegal character in URI');
  }
  if (start === s.length) fail('empty URI');
  const uri = new ParsedUri(scheme, []);
  uri.opaque = s.slice(start);
  return uri;
}

export function serializeUri(uri: Uri): string {
  if (uri.opaque !== undefined) return `${uri.scheme}:${uri.opaque}`;
  let out = uri.scheme + ':';
  if (uri.scheme === 'tel') {
    out += escapeChars(uri.user ?? '', CharClasses.PARAM);
  } else {
    if (uri.user !== undefined) {
      out += escapeChars(uri.user, CharClasses.USER);
      if (uri.password !== undefined) out += ':' + escapeChars(uri.password, CharClasses.PASSWORD);
      out += '@';
    }
    out += uri.host;
    if (uri.port !== undefined) out += ':' + uri.port;
  }
  for (const name in uri.params) {
    const value = uri.params[name];
    out += ';' + escapeChars(name, CharClasses.PARAM);
    if (value !== null && value !== undefined) out += '=' + escapeChars(value, CharClasses.PARAM);
  }
  let separator = '?';
  for (const name in uri.headers) {
    out +=
      separator +
      escapeChars(name, CharClasses.HEADER) +
      '=' +
      escapeChars(uri.headers[name], CharClasses.HEADER);
    separator = '&';
  }
  return out;
}
