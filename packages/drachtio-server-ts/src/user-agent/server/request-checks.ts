/**
 * The UAS rules of RFC 3261 8.2 that need no application: a request failing one is answered
 * by the engine and never reaches the application.
 */
import { isSipMethod, parseNameAddr, parseUri, SipParseError } from 'drachtio-sip';

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
  const addresses = checkAddresses(request);
  if (addresses) return addresses;
  const maxForwards = request.getHeader('max-forwards');
  if (maxForwards !== undefined) {
    // 1*DIGIT (RFC 3261 20.22): leading zeros are valid (RFC 4475 3.1.1.1 sends 0068).
    const digits = maxForwards.trim();
    if (!/^\d{1,10}$/.test(digits) || Number(digits) > 255)
      return { status: 400, reason: 'Bad Request - invalid Max-Forwards' };
    // An OPTIONS may be answered by the element it reached at zero hops (RFC 3261 16.3 step 3,
    // RFC 4475 3.3.11); forwarding it is the proxy's business, which refuses it there.
    if (Number(digits) === 0 && request.method !== 'ACK' && request.method !== 'OPTIONS')
      return { status: 483 };
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

/**
 * From and To must hold a URI an application can read: a request whose address does not parse
 * is answered 400 here instead of reaching an application that would fail on it.
 */
function checkAddresses(request: CheckedRequest): Rejection | undefined {
  for (const name of ['from', 'to'] as const) {
    const value = request.getHeader(name);
    if (value === undefined) continue;
    try {
      parseUri(parseNameAddr(value, name).uri);
    } catch (error) {
      if (!(error instanceof SipParseError)) throw error;
      const header = name === 'from' ? 'From' : 'To';
      return { status: 400, reason: `Bad Request - malformed ${header} URI` };
    }
  }
  return undefined;
}
