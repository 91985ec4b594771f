/**
 * Where a response goes and the Via it carries (RFC 3261 18.2.2, RFC 3581). Over TCP the
 * connection the request came on is used while it is open; otherwise the response goes to the
 * source address, at the source port when the client asked with rport, else at its Via port.
 */
import type { Endpoint } from 'drachtio-protocol';
import { splitList, type Via } from 'drachtio-sip';
import type { Destination } from './transport';

export function responseDestination(topVia: Via, source: Endpoint): Destination {
  return topVia.rport !== undefined ? source : { ...source, port: topVia.port ?? 5060 };
}

/**
 * The Via values of a response: the top one with received and the filled-in rport, then every
 * other as received. RFC 3261 18.2.1 adds received when the sent-by is not the source address;
 * RFC 3581 section 4 adds it whenever rport was asked for, even when the two are the same, so
 * a client behind NAT always learns the address it was seen from.
 */
export function responseVias(
  viaLines: readonly string[],
  topViaText: string,
  topVia: Via,
  source: Endpoint,
): string[] {
  let top = topViaText;
  const host = topVia.host.replace(/^\[|\]$/g, '');
  const askedRport = topVia.rport === true;
  if (askedRport) top = top.replace(/;\s*rport(?!\s*=)/i, `;rport=${source.port}`);
  if ((askedRport || host !== source.address) && topVia.received === undefined)
    top += `;received=${source.address}`;
  const [first = '', ...others] = viaLines;
  return [top, ...splitList(first).slice(1), ...others];
}
