/**
 * Route and Record-Route as a proxy handles them (RFC 3261 16.4, 16.6 steps 4-7, 16.12). Pure:
 * URIs in, URIs out, so strict and loose routing are unit-tested without a network.
 *
 * Our Record-Route URIs carry the `dpx` parameter. A request of the dialog that comes back with
 * it in its top Route (or, from a strict router, in its Request-URI) is routed through the
 * proxy core instead of the UAS, and the mark survives a restart of the server, unlike state.
 */
import { parseUri, splitList } from 'drachtio-sip';
import { hostport } from '../../transport/contact';
import type { LocalAddress } from '../../transport/transport';

export const PROXY_MARK = 'dpx';

/** Where a request goes next, and how it reads when it leaves (16.6 steps 6-7). */
export interface NextHop {
  requestUri: string;
  /** Route values, top first, as they are sent. */
  routes: string[];
  /** The URI resolved to find the address to send to (RFC 3263). */
  destination: string;
}

/** The URI inside a name-addr (`<sip:x;lr>;p=1` -> `sip:x;lr`), or the text itself. */
export function uriOf(value: string): string {
  const open = value.indexOf('<');
  if (open < 0) return value.trim();
  const close = value.indexOf('>', open);
  return value.slice(open + 1, close < 0 ? undefined : close).trim();
}

/** Every Route value of a request, top first (a header line may hold several). */
export function routeValues(lines: readonly string[]): string[] {
  return lines.flatMap((line) => splitList(line)).filter((value) => value.trim() !== '');
}

/** A URI this proxy put in a Record-Route. */
export function hasProxyMark(uri: string): boolean {
  try {
    return PROXY_MARK in parseUri(uriOf(uri)).params;
  } catch {
    return false;
  }
}

/** A Route URI that names this proxy: our mark, or one of our addresses (a preloaded route). */
export function namesUs(uri: string, locals: readonly LocalAddress[]): boolean {
  if (hasProxyMark(uri)) return true;
  try {
    const parsed = parseUri(uriOf(uri));
    const host = parsed.host.replace(/^\[|\]$/g, '');
    const port = parsed.port ?? 5060;
    return locals.some((local) => local.host === host && local.port === port);
  } catch {
    return false;
  }
}

/**
 * RFC 3261 16.4: a Request-URI we placed in a Record-Route means the previous hop was a strict
 * router, and the real Request-URI is the last Route value; then the top Route values that
 * name us (two when we record-routed twice) are removed.
 */
export function preprocessRoute(
  requestUri: string,
  routes: readonly string[],
  locals: readonly LocalAddress[],
): { requestUri: string; routes: string[] } {
  let uri = requestUri;
  let rest = [...routes];
  if (hasProxyMark(uri) && rest.length > 0) {
    uri = uriOf(rest[rest.length - 1] ?? '');
    rest = rest.slice(0, -1);
  }
  while (rest.length > 0 && namesUs(rest[0] ?? '', locals)) rest = rest.slice(1);
  return { requestUri: uri, routes: rest };
}

/**
 * RFC 3261 16.6 steps 6-7 and 16.12: a loose router next (`lr`) gets the request as it is; a
 * strict one gets it with its own URI as the Request-URI and ours appended to the Route set.
 */
export function nextHop(requestUri: string, routes: readonly string[]): NextHop {
  const [top, ...rest] = routes;
  if (top === undefined) return { requestUri, routes: [], destination: requestUri };
  const topUri = uriOf(top);
  let loose = false;
  try {
    loose = 'lr' in parseUri(topUri).params;
  } catch {
    loose = false;
  }
  if (loose) return { requestUri, routes: [...routes], destination: topUri };
  return { requestUri: topUri, routes: [...rest, `<${requestUri}>`], destination: topUri };
}

/** Our Record-Route URI on one interface. */
export function recordRouteValue(local: LocalAddress): string {
  return `<sip:${hostport(local.host, local.port)};transport=${local.transport};lr;${PROXY_MARK}>`;
}

/**
 * RFC 3261 16.6 step 4 and RFC 5658: one Record-Route when the request leaves where it came in,
 * two when the interfaces differ (the outbound one on top: the callee's route set starts with
 * it, the caller's, reversed, with the inbound one).
 */
export function recordRoutes(inbound: LocalAddress, outbound: LocalAddress): string[] {
  const same =
    inbound.host === outbound.host &&
    inbound.port === outbound.port &&
    inbound.transport === outbound.transport;
  return same
    ? [recordRouteValue(outbound)]
    : [recordRouteValue(outbound), recordRouteValue(inbound)];
}
