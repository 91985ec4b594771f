/**
 * Method and status of a raw SIP message, read from its bytes without parsing it: metrics
 * need two labels per message, and the parser's work belongs to the engine. Labels come from
 * closed sets, so a peer cannot grow the metrics by sending odd methods or codes.
 */
// The engine's own list: a method it would refuse with 501 is 'other' here too.
import { isSipMethod } from 'drachtio-sip';

/** Bytes of the start line or CSeq value we look at: a method name is far shorter. */
const SCAN = 64;
/** Headers are searched only this far in, whatever the size of the message. */
const HEAD_SCAN = 8192;
const CSEQ = Buffer.from('\nCSeq:', 'latin1');

export interface SipSummary {
  /** A known method name, or 'other'. For a response, the method of its CSeq. */
  method: string;
  /** The status code as text ('100'..'699', else 'other'); undefined for a request. */
  status: string | undefined;
}

export function summarize(data: Buffer): SipSummary {
  const start = data.toString('latin1', 0, Math.min(data.length, SCAN));
  if (!start.startsWith('SIP/2.0 '))
    return { method: knownMethod(start.slice(0, start.indexOf(' '))), status: undefined };
  const code = Number(start.slice(8, 11));
  const status = Number.isInteger(code) && code >= 100 && code <= 699 ? String(code) : 'other';
  return { method: cseqMethod(data), status };
}

function knownMethod(token: string): string {
  return isSipMethod(token) ? token : 'other';
}

function cseqMethod(data: Buffer): string {
  let at = data.indexOf(CSEQ);
  if (at < 0 || at > HEAD_SCAN) {
    // Header names are case-insensitive: the rare peer that writes "cseq" or "CSEQ".
    at = data
      .toString('latin1', 0, Math.min(data.length, HEAD_SCAN))
      .toLowerCase()
      .indexOf('\ncseq:');
    if (at < 0) return 'other';
  }
  const value = data.toString(
    'latin1',
    at + CSEQ.length,
    Math.min(data.length, at + CSEQ.length + SCAN),
  );
  const match = /^\s*\d+\s+([A-Za-z]+)/.exec(value);
  return match ? knownMethod(match[1].toUpperCase()) : 'other';
}
