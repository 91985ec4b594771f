/**
 * Serializes the messages the engine originates. Building the text directly (instead of
 * mutating a parsed message) keeps the hot path to one string concatenation per message.
 */
const CRLF = '\r\n';

export interface RequestParts {
  method: string;
  uri: string;
  /** The Via value (without "Via: "). */
  via: string;
  from: string;
  to: string;
  callId: string;
  cseq: number;
  routes?: readonly string[];
  /** Further header lines ("Name: value"). */
  headers?: readonly string[];
  body?: string;
}

export interface ResponseParts {
  status: number;
  reason: string;
  /** Via values, top first. */
  vias: readonly string[];
  from: string;
  to: string;
  callId: string;
  cseq: string;
  recordRoutes?: readonly string[];
  headers?: readonly string[];
  body?: string;
}

export function writeRequest(parts: RequestParts): Buffer {
  let text =
    `${parts.method} ${parts.uri} SIP/2.0${CRLF}` +
    `Via: ${parts.via}${CRLF}` +
    `Max-Forwards: 70${CRLF}` +
    `From: ${parts.from}${CRLF}` +
    `To: ${parts.to}${CRLF}` +
    `Call-ID: ${parts.callId}${CRLF}` +
    `CSeq: ${parts.cseq} ${parts.method}${CRLF}`;
  for (const route of parts.routes ?? []) text += `Route: ${route}${CRLF}`;
  for (const line of parts.headers ?? []) text += line + CRLF;
  return finish(text, parts.body);
}

export function writeResponse(parts: ResponseParts): Buffer {
  let text = `SIP/2.0 ${parts.status} ${parts.reason}${CRLF}`;
  for (const via of parts.vias) text += `Via: ${via}${CRLF}`;
  for (const route of parts.recordRoutes ?? []) text += `Record-Route: ${route}${CRLF}`;
  text += `From: ${parts.from}${CRLF}To: ${parts.to}${CRLF}Call-ID: ${parts.callId}${CRLF}CSeq: ${parts.cseq}${CRLF}`;
  for (const line of parts.headers ?? []) text += line + CRLF;
  return finish(text, parts.body);
}

/**
 * The message in a Buffer of its own. Transactions and dialogs keep what they send for
 * retransmission, some for the whole call; a Buffer.from() slice of Node's shared 8 KiB pool
 * would keep the whole slab alive for as long.
 */
function finish(head: string, body: string | undefined): Buffer {
  const content = body ?? '';
  const text = `${head}Content-Length: ${Buffer.byteLength(content)}${CRLF}${CRLF}${content}`;
  const data = Buffer.allocUnsafeSlow(Buffer.byteLength(text));
  data.write(text);
  return data;
}

/** Adds a tag parameter to a From/To value that has none. */
export function withTag(nameAddr: string, tag: string): string {
  return `${nameAddr};tag=${tag}`;
}
