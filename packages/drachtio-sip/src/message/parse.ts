import { SipParseError } from '../errors';
import { isTokenChar, isWhitespace } from '../grammar/chars';
import { TYPED_HEADER_COUNT, headerSpec, wellKnownName } from '../headers/registry';
import { HeaderField } from './header-field';
import { FieldPositions, PendingBody, SipRequest, SipResponse, noteField } from './message';
import {
  RequestLine,
  StatusLine,
  isStatusLine,
  parseRequestLine,
  parseStatusLine,
} from './start-line';

/** More header lines than any real message carries; bounds the work one message can cause. */
export const MAX_HEADER_FIELDS = 256;
const MAX_CONTENT_LENGTH_DIGITS = 10;

const CRLFCRLF = Buffer.from('\r\n\r\n');

/** Bit per header every request and response must carry (RFC 3261 8.1.1). */
function mandatoryBit(key: string): number {
  switch (key) {
    case 'via':
      return 1;
    case 'from':
      return 2;
    case 'to':
      return 4;
    case 'call-id':
      return 8;
    case 'cseq':
      return 16;
    default:
      return 0;
  }
}
const ALL_MANDATORY = 31;
const MANDATORY_NAMES = ['Via', 'From', 'To', 'Call-ID', 'CSeq'];

/**
 * Parses one SIP message. The start line and the header boundaries are found now; typed header
 * values are parsed when first read, and the body is decoded when first read. Throws
 * SipParseError (and nothing else) for anything that is not a well-formed message.
 */
export function parseMessage(input: Buffer | string): SipRequest | SipResponse {
  if (typeof input === 'string') return parseText(input);
  let start = 0;
  while (input[start] === 13 && input[start + 1] === 10) start += 2;
  const headerEnd = input.indexOf(CRLFCRLF, start);
  if (headerEnd < 0)
    throw new SipParseError('header-section', 'no empty line ends the header section');
  // decode through the CRLF that ends the last header line, so every line ends alike
  const head = input.toString('utf8', start, headerEnd + 2);
  const bodyStart = headerEnd + 4;
  // UTF-8 decoding gives at most one char per byte; as many chars as bytes means each byte gave
  // one char at the same position, so the bytes can stand in for the chars (a stray non-ASCII
  // byte, decoded as U+FFFD, matches no header name either way)
  const ascii = head.length === headerEnd + 2 - start;
  const parts = scanHead(head, ascii ? input : undefined, start);
  const available = input.length - bodyStart;
  const length = parts.contentLength < 0 ? available : parts.contentLength;
  if (length > available)
    throw new SipParseError(
      'body',
      `Content-Length ${length} exceeds the ${available} bytes received`,
    );
  const body: PendingBody | string =
    length === 0 ? '' : { source: input, start: bodyStart, end: bodyStart + length };
  return build(parts, body);
}

function parseText(input: string): SipRequest | SipResponse {
  let start = 0;
  while (input.charCodeAt(start) === 13 && input.charCodeAt(start + 1) === 10) start += 2;
  const headerEnd = input.indexOf('\r\n\r\n', start);
  if (headerEnd < 0)
    throw new SipParseError('header-section', 'no empty line ends the header section');
  const parts = scanHead(input.slice(start, headerEnd + 2));
  const rest = input.slice(headerEnd + 4);
  const { contentLength } = parts;
  // a string whose byte length is the Content-Length needs no re-encoding
  if (
    contentLength < 0 ||
    (contentLength === rest.length && Buffer.byteLength(rest, 'utf8') === contentLength)
  )
    return build(parts, rest);
  const bytes = Buffer.from(rest, 'utf8');
  if (contentLength > bytes.length)
    throw new SipParseError(
      'body',
      `Content-Length ${contentLength} exceeds the ${bytes.length} bytes received`,
    );
  return build(parts, bytes.toString('utf8', 0, contentLength));
}

/**
 * What the header section says before the body is cut out: the start line, the fields, where the
 * typed headers are among them, Content-Length (-1 if none).
 */
interface HeadParts {
  statusLine: StatusLine | undefined;
  requestLine: RequestLine | undefined;
  fields: HeaderField[];
  positions: FieldPositions;
  contentLength: number;
}

function build(parts: HeadParts, body: PendingBody | string): SipRequest | SipResponse {
  const { statusLine, fields, positions } = parts;
  if (statusLine !== undefined)
    return SipResponse.fromWire(
      statusLine.status,
      statusLine.reason,
      statusLine.version,
      fields,
      body,
      positions,
    );
  const { method, uri, version } = parts.requestLine as RequestLine;
  return SipRequest.fromWire(method, uri, version, fields, body, positions);
}

/**
 * `head` is the header section including its last CRLF; `bytes`, when given, holds the same
 * section char for byte from `offset` on (see wellKnownName).
 */
function scanHead(head: string, bytes?: Uint8Array, offset = 0): HeadParts {
  const lineEnd = endOfLine(head, 0);
  const startLine = head.slice(0, lineEnd);
  const response = isStatusLine(startLine);
  const statusLine = response ? parseStatusLine(startLine) : undefined;
  const requestLine = response ? undefined : parseRequestLine(startLine);
  const fields: HeaderField[] = [];
  const positions: FieldPositions = new Array<unknown>(TYPED_HEADER_COUNT);
  let seen = 0;
  let contentLength = -1;
  let i = lineEnd + 2;
  while (i < head.length) {
    const end = endOfLine(head, i);
    const first = head.charCodeAt(i);
    if (isWhitespace(first)) {
      if (fields.length === 0)
        throw new SipParseError('header-section', 'continuation line before any header');
      const folded = fields[fields.length - 1];
      fields[fields.length - 1] = {
        name: folded.name,
        key: folded.key,
        value: joinFolded(folded.value, head, i, end),
      };
    } else {
      if (fields.length === MAX_HEADER_FIELDS)
        throw new SipParseError('header-section', `more than ${MAX_HEADER_FIELDS} header fields`);
      const field = readField(head, i, end, bytes, offset, positions, fields.length);
      fields.push(field);
      // the mandatory keys are at most 7 characters long ('call-id'), Content-Length's is longer
      const key = field.key;
      if (key.length <= 7) seen |= mandatoryBit(key);
      else if (key === 'content-length')
        contentLength = readContentLength(field.value, contentLength);
    }
    i = end + 2;
  }
  if (seen !== ALL_MANDATORY) {
    const missing = MANDATORY_NAMES.filter((_, bit) => (seen & (1 << bit)) === 0);
    throw new SipParseError('header-section', `missing mandatory header ${missing.join(', ')}`);
  }
  return { statusLine, requestLine, fields, positions, contentLength };
}

/** Index of the CRLF ending the line at `from`; a bare LF is malformed. */
function endOfLine(head: string, from: number): number {
  const lf = head.indexOf('\n', from);
  if (lf <= from || head.charCodeAt(lf - 1) !== 13) {
    throw new SipParseError(
      from === 0 ? 'start-line' : 'header-section',
      'line not terminated by CRLF',
    );
  }
  return lf - 1;
}

/** The header line head[start, end), the field at `index`; a typed header's position is noted. */
function readField(
  head: string,
  start: number,
  end: number,
  bytes: Uint8Array | undefined,
  offset: number,
  positions: FieldPositions,
  index: number,
): HeaderField {
  const colon = head.indexOf(':', start);
  if (colon < 0 || colon >= end) malformedLine(head, start, end);
  let nameEnd = colon;
  while (nameEnd > start && isWhitespace(head.charCodeAt(nameEnd - 1))) nameEnd--;
  // a well-known spelling is a valid token already; anything else is checked char by char
  const known = wellKnownName(head, start, nameEnd, bytes, offset);
  let name: string;
  let key: string;
  let slot: number;
  if (known !== undefined) {
    ({ name, key, slot } = known);
  } else {
    for (let c = start; c < nameEnd; c++)
      if (!isTokenChar(head.charCodeAt(c))) malformedLine(head, start, end);
    if (nameEnd === start) malformedLine(head, start, end);
    name = head.slice(start, nameEnd);
    ({ key, slot } = headerSpec(name));
  }
  if (slot >= 0) noteField(positions, slot, index);
  let i = colon + 1;
  while (i < end && isWhitespace(head.charCodeAt(i))) i++;
  let valueEnd = end;
  while (valueEnd > i && isWhitespace(head.charCodeAt(valueEnd - 1))) valueEnd--;
  return { name, key, value: head.slice(i, valueEnd) };
}

function malformedLine(head: string, start: number, end: number): never {
  throw new SipParseError(
    'header-section',
    `malformed header line "${head.slice(start, Math.min(end, start + 40))}"`,
  );
}

/** LWS folding: the line break and the whitespace around it become one space (RFC 3261 7.3.1). */
function joinFolded(value: string, head: string, start: number, end: number): string {
  while (start < end && isWhitespace(head.charCodeAt(start))) start++;
  while (end > start && isWhitespace(head.charCodeAt(end - 1))) end--;
  if (start === end) return value;
  return value === '' ? head.slice(start, end) : `${value} ${head.slice(start, end)}`;
}

function readContentLength(value: string, previous: number): number {
  if (value.length === 0 || value.length > MAX_CONTENT_LENGTH_DIGITS)
    throw new SipParseError('content-length', 'not a valid length');
  let n = 0;
  for (let i = 0; i < value.length; i++) {
    const d = value.charCodeAt(i) - 48;
    if (d < 0 || d > 9) throw new SipParseError('content-length', 'not a valid length');
    n = n * 10 + d;
  }
  if (previous >= 0 && previous !== n)
    throw new SipParseError('content-length', 'conflicting Content-Length headers');
  return n;
}
