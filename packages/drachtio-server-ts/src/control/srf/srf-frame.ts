import { randomUUID } from 'node:crypto';
import { encodeFrame } from 'drachtio-protocol';

const CRLF = '\r\n';

/** One frame from a drachtio-srf application: `msgId|type|tokens...` [CRLF SIP text]. */
export interface SrfFrame {
  msgId: string;
  type: string;
  /** The tokens after the type. */
  args: string[];
  /** The SIP text after the first CRLF, if any. */
  sip?: string;
}

/** Splits a payload as the C++ server does: the meta line up to the first CRLF, then SIP. */
export function parseSrfFrame(payload: string): SrfFrame {
  const eol = payload.indexOf(CRLF);
  const meta = eol === -1 ? payload : payload.slice(0, eol);
  const tokens = meta.split('|');
  return {
    msgId: tokens[0] ?? '',
    type: tokens[1] ?? '',
    args: tokens.slice(2),
    sip: eol === -1 ? undefined : payload.slice(eol + CRLF.length),
  };
}

/**
 * A frame the server sends: a fresh message id, the tokens joined by `|`, and the SIP message
 * after a CRLF when there is one (srf reads the meta line up to the first CR).
 */
export function srfFrame(tokens: readonly string[], sip?: string): Buffer {
  const meta = [randomUUID(), ...tokens].join('|');
  return encodeFrame(sip === undefined ? meta : `${meta}${CRLF}${sip}`);
}
