/**
 * The answer to a request that does not parse: a stateless 400 whose reason phrase says what is
 * wrong (or another status, for a request refused before parsing), built from whatever Via,
 * From, To, Call-ID and CSeq lines can be found in the raw text.
 * Without a Via there is nobody to answer, and a malformed response is simply dropped.
 */
import type { InboundMessage } from './transport';

const WANTED: ReadonlyArray<readonly [RegExp, string]> = [
  [/^(?:via|v)[ \t]*:(.*)$/gim, 'Via'],
  [/^(?:from|f)[ \t]*:(.*)$/gim, 'From'],
  [/^(?:to|t)[ \t]*:(.*)$/gim, 'To'],
  [/^(?:call-id|i)[ \t]*:(.*)$/gim, 'Call-ID'],
  [/^cseq[ \t]*:(.*)$/gim, 'CSeq'],
];
const MAX_SCAN = 16 * 1024;
const MAX_REASON = 120;

export function rejectMalformed(
  inbound: InboundMessage,
  reason: string,
  send: (data: Buffer) => void,
): void {
  answerStatelessly(inbound, 400, `Bad Request - ${reason}`, send);
}

/** A stateless final response to a raw request (also the abuse limits' refusals); none to a response. */
export function answerStatelessly(
  inbound: InboundMessage,
  status: number,
  reason: string,
  send: (data: Buffer) => void,
): void {
  const text = inbound.data.toString('latin1', 0, Math.min(inbound.data.length, MAX_SCAN));
  if (text.startsWith('SIP/')) return;
  const headerEnd = text.indexOf('\r\n\r\n');
  const head = headerEnd < 0 ? text : text.slice(0, headerEnd);
  const lines: string[] = [];
  for (const [pattern, name] of WANTED) {
    for (const match of head.matchAll(pattern)) lines.push(`${name}: ${(match[1] ?? '').trim()}`);
  }
  if (!lines.some((line) => line.startsWith('Via:'))) return;
  const phrase = reason.replace(/[\r\n]+/g, ' ').slice(0, MAX_REASON);
  send(
    Buffer.from(
      `SIP/2.0 ${status} ${phrase}\r\n${lines.join('\r\n')}\r\nContent-Length: 0\r\n\r\n`,
    ),
  );
}
