/**
 * The few fields every layer needs from a received message, parsed once from drachtio-sip's
 * lazy message: top Via, Call-ID, CSeq, From/To tags. Anything else stays unparsed unless
 * some rule asks for it.
 */
import {
  parseCSeq,
  parseNameAddr,
  parseVia,
  SipParseError,
  splitList,
  type CSeq,
  type Via,
} from 'drachtio-sip';

/** What the essentials need from a parsed message (drachtio-sip's SipRequest and SipResponse). */
export interface HeaderSource {
  getHeader(name: string): string | undefined;
  getHeaders(name: string): string[];
}

export interface Essentials {
  /** Via header lines as received (a line may hold several comma-separated entries). */
  viaLines: string[];
  topVia: Via;
  /** The top Via entry's text, exactly as received. */
  topViaText: string;
  callId: string;
  cseq: CSeq;
  from: string;
  to: string;
  fromTag: string | undefined;
  toTag: string | undefined;
}

export function essentials(message: HeaderSource): Essentials {
  const viaLines = message.getHeaders('via');
  if (viaLines.length === 0) throw new SipParseError('via', 'missing Via header');
  const topViaText = splitList(viaLines[0] ?? '')[0] ?? '';
  const callId = required(message, 'call-id');
  const from = required(message, 'from');
  const to = required(message, 'to');
  return {
    viaLines,
    topVia: parseVia(topViaText),
    topViaText,
    callId,
    cseq: parseCSeq(required(message, 'cseq')),
    from,
    to,
    fromTag: parseNameAddr(from, 'from').tag,
    toTag: parseNameAddr(to, 'to').tag,
  };
}

function required(message: HeaderSource, name: string): string {
  const value = message.getHeader(name);
  if (value === undefined || value.trim() === '')
    throw new SipParseError(name, `missing ${name} header`);
  return value.trim();
}
