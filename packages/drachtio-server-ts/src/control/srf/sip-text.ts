import { headerKey } from 'drachtio-sip';
import type { HeaderMap } from 'drachtio-protocol';
import { ProtocolError } from 'drachtio-protocol';

/**
 * The partial SIP message a drachtio-srf application sends: a start line, the headers it set,
 * and a body. The server fills in everything else, so nothing here has to be a complete
 * message; only the start line must make sense.
 */
export interface SipText {
  request?: { method: string; uri: string };
  response?: { status: number; reason?: string };
  /** Header name (as written) and value, in order; compact forms are kept as sent. */
  headers: Array<[string, string]>;
  body?: string;
}

const REQUEST_LINE = /^([A-Za-z]+) (\S+) SIP\/2\.0$/;
const STATUS_LINE = /^SIP\/2\.0 (\d{3})(?: (.*))?$/;

export function parseSipText(text: string): SipText {
  const split = text.indexOf('\r\n\r\n');
  const head = split === -1 ? text : text.slice(0, split);
  const body = split === -1 ? '' : text.slice(split + 4);
  const lines = head.split('\r\n');
  const start = lines.shift() ?? '';
  const headers: Array<[string, string]> = [];
  for (const line of lines) {
    if (line === '') continue;
    // A folded line continues the header before it (RFC 3261 7.3.1).
    if (/^[ \t]/.test(line) && headers.length > 0) {
      headers[headers.length - 1][1] += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) throw new ProtocolError('invalid-argument', `malformed header line: '${line}'`);
    headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  const parsed: SipText = { headers, body: body === '' ? undefined : body };
  const request = REQUEST_LINE.exec(start);
  const status = STATUS_LINE.exec(start);
  if (request) parsed.request = { method: request[1].toUpperCase(), uri: request[2] };
  else if (status) parsed.response = { status: Number(status[1]), reason: status[2] || undefined };
  else throw new ProtocolError('invalid-argument', `invalid start line: '${start}'`);
  return parsed;
}

/** The value of a header (any spelling, compact form included), or undefined. */
export function headerValue(text: SipText, name: string): string | undefined {
  const key = headerKey(name);
  return text.headers.find(([n]) => headerKey(n) === key)?.[1];
}

/**
 * The headers as the engine takes them, without the ones in `dropped` (lower-case long names):
 * srf's messages carry copies of headers the server owns (a response repeats the request's
 * Call-ID, CSeq, From and To), which the engine would otherwise log as protected one by one.
 */
export function headerMap(text: SipText, dropped: ReadonlySet<string>): HeaderMap {
  const map: HeaderMap = {};
  for (const [name, value] of text.headers) {
    if (dropped.has(headerKey(name))) continue;
    const existing = map[name];
    if (existing === undefined) map[name] = value;
    else map[name] = Array.isArray(existing) ? [...existing, value] : [String(existing), value];
  }
  return map;
}

/** Headers the server always sets itself. */
export const SERVER_OWNED: ReadonlySet<string> = new Set(['via', 'max-forwards', 'content-length']);
/** In a response or inside a dialog the dialog's identity is the server's too. */
export const DIALOG_OWNED: ReadonlySet<string> = new Set([
  ...SERVER_OWNED,
  'call-id',
  'cseq',
  'from',
  'to',
]);
