/**
 * A request as the proxy forwards it (RFC 3261 16.6 steps 1-8) and a response as it goes back
 * upstream (16.7 step 3: our Via popped), written from the received text: everything the proxy
 * does not own travels as it came, the body as its exact bytes.
 */
import { splitList, type SipMessage } from 'drachtio-sip';

const CRLF = '\r\n';
/** Headers the forwarding rewrites; the others are copied. */
const REWRITTEN = new Set(['via', 'route', 'record-route', 'max-forwards', 'content-length']);

export interface ForwardedRequestParts {
  method: string;
  requestUri: string;
  /** Our Via value, pushed on top. */
  via: string;
  /** Route values, top first. */
  routes: readonly string[];
  /** Our Record-Route values, put above the request's own. */
  recordRoutes: readonly string[];
  /** The application's header lines; a header it names replaces the request's. */
  headerLines: readonly string[];
  /** The application's header names, lower case (those the request's copies give way to). */
  replaced: ReadonlySet<string>;
}

/** The request for one branch. */
export function forwardedRequest(
  message: SipMessage,
  raw: Buffer,
  parts: ForwardedRequestParts,
): Buffer {
  const fields = message.headerFields;
  const value = (key: string) => fields.filter((field) => field.key === key);
  const maxForwards = value('max-forwards')[0]?.value;
  let head = `${parts.method} ${parts.requestUri} SIP/2.0${CRLF}Via: ${parts.via}${CRLF}`;
  for (const via of value('via')) head += `Via: ${via.value}${CRLF}`;
  // 16.6 step 3: one less, or 70 when the request had none.
  head += `Max-Forwards: ${maxForwards === undefined ? 70 : Math.max(0, Number(maxForwards) - 1)}${CRLF}`;
  for (const rr of parts.recordRoutes) head += `Record-Route: ${rr}${CRLF}`;
  for (const rr of value('record-route')) head += `Record-Route: ${rr.value}${CRLF}`;
  for (const route of parts.routes) head += `Route: ${route}${CRLF}`;
  for (const field of fields) {
    if (REWRITTEN.has(field.key) || parts.replaced.has(field.key)) continue;
    head += `${field.name}: ${field.value}${CRLF}`;
  }
  for (const line of parts.headerLines) head += line + CRLF;
  return withBody(head, bodyOf(raw));
}

/** What an ACK or CANCEL of a branch repeats of the branch's request. */
export interface BranchRequestParts {
  via: string;
  requestUri: string;
  routes: readonly string[];
  /** The To of the response an ACK acknowledges; the request's own for a CANCEL. */
  to: string;
}

/**
 * An ACK (of a non-2xx) or a CANCEL for a branch (RFC 3261 17.1.1.3, 9.1): the branch's Via,
 * Request-URI and Route, and the received request's From, Call-ID and CSeq number.
 */
export function branchRequest(
  method: 'ACK' | 'CANCEL',
  received: SipMessage,
  parts: BranchRequestParts,
): Buffer {
  const get = (name: string) => received.getHeader(name) ?? '';
  const seq = /^\s*(\d+)/.exec(get('cseq'))?.[1] ?? '1';
  let head =
    `${method} ${parts.requestUri} SIP/2.0${CRLF}Via: ${parts.via}${CRLF}Max-Forwards: 70${CRLF}` +
    `From: ${get('from')}${CRLF}To: ${parts.to}${CRLF}Call-ID: ${get('call-id')}${CRLF}` +
    `CSeq: ${seq} ${method}${CRLF}`;
  for (const route of parts.routes) head += `Route: ${route}${CRLF}`;
  return withBody(head, Buffer.alloc(0));
}

export interface UpstreamChanges {
  /** A different status line (a 503 goes up as 500). */
  status?: number;
  reason?: string;
  /** Lines added (the other branches' challenges). */
  extraLines?: readonly string[];
}

/** The response without its top Via (ours), as the next hop up expects it. */
export function upstreamResponse(
  message: SipMessage & { status: number; reason: string },
  raw: Buffer,
  changes: UpstreamChanges = {},
): Buffer {
  let head = `SIP/2.0 ${changes.status ?? message.status} ${changes.reason ?? message.reason}${CRLF}`;
  let popped = false;
  for (const field of message.headerFields) {
    if (field.key === 'content-length') continue;
    if (field.key === 'via' && !popped) {
      popped = true;
      const rest = splitList(field.value).slice(1);
      if (rest.length > 0) head += `${field.name}: ${rest.join(', ')}${CRLF}`;
      continue;
    }
    head += `${field.name}: ${field.value}${CRLF}`;
  }
  for (const line of changes.extraLines ?? []) head += line + CRLF;
  return withBody(head, bodyOf(raw));
}

/** The bytes after the blank line: a body travels exactly as received. */
export function bodyOf(raw: Buffer): Buffer {
  const end = raw.indexOf('\r\n\r\n');
  return end < 0 ? Buffer.alloc(0) : raw.subarray(end + 4);
}

function withBody(head: string, body: Buffer): Buffer {
  const text = `${head}Content-Length: ${body.length}${CRLF}${CRLF}`;
  const data = Buffer.allocUnsafeSlow(Buffer.byteLength(text) + body.length);
  const at = data.write(text);
  body.copy(data, at);
  return data;
}
