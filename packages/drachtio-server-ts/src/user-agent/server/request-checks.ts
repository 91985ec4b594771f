/**
 * The UAS rules of RFC 3261 8.2 that need no application: a request failing one is answered
 * by the engine and never reaches the application.
 */
import { isSipMethod } from 'drachtio-sip';

export interface Rejection {
  status: number;
  reason?: string;
  /** Header lines the rejection must carry (Unsupported for 420, Min-SE for 422, ...). */
  headers?: string[];
}

/** What the checks read from a request. */
export interface CheckedRequest {
  method: string;
  uri: string;
  version: string;
  getHeader(name: string): string | undefined;
}

/** Option tags this engine implements: a Require listing anything else gets 420. */
export const SUPPORTED_OPTION_TAGS: readonly string[] = [
  '100rel',
  'timer',
  'replaces',
  'norefersub',
];

const URI_SCHEMES = new Set(['sip', 'sips', 'tel']);

const ACCEPTED_ENCODINGS = new Set(['identity', 'gzip']);

export function checkRequest(request: CheckedRequest): Rejection | undefined {
  if (request.version.toUpperCase() !== 'SIP/2.0') return { status: 505 };
  // drachtio-sip's methods are the ones the engine can carry; others get 501 (RFC 3261 8.2.1).
  if (!isSipMethod(request.method)) return { status: 501 };
  const scheme = request.uri.slice(0, request.uri.indexOf(':')).toLowerCase();
  if (!URI_SCHEMES.has(scheme)) return { status: 416 };
  const maxForwards = request.getHeader('max-forwards');
  if (maxForwards !== undefined) {
    const hops = Number(maxForwards.trim());
    if (!/^\d{1,3}$/.test(maxForwards.trim()))
      return { status: 400, reason: 'Bad Request - invalid Max-Forwards' };
    if (hops === 0 && request.method !== 'ACK') return { status: 483 };
  }
  if (request.method !== 'ACK' && request.method !== 'CANCEL') {
    const unsupported = (request.getHeader('require') ?? '')
      .split(',')
      .map((tag) => tag.trim())
      .filter((tag) => tag !== '' && !SUPPORTED_OPTION_TAGS.includes(tag.toLowerCase()));
    if (unsupported.length > 0)
      return { status: 420, headers: [`Unsupported: ${unsupported.join(', ')}`] };
  }
  const encoding = request.getHeader('content-encoding');
  if (
    encoding !== undefined &&
    encoding.split(',').some((e) => !ACCEPTED_ENCODINGS.has(e.trim().toLowerCase()))
  ) {
    return { status: 415, headers: ['Accept-Encoding: identity, gzip'] };
  }
  return undefined;
}
