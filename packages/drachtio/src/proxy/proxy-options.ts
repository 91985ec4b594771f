import type { ForkingMode, HeaderMap, ProxyData, ProxyDestination } from 'drachtio-protocol';

/** How `req.proxy()` / `app.proxyRequest()` proxies (drachtio-srf's option names). */
export interface ProxyOptions {
  /** 'sequential' (default): one destination after the other until one answers 2xx or 6xx; 'simultaneous': all at once. */
  forking?: ForkingMode;
  /** Insert Record-Route, so the dialog's later requests (BYE, re-INVITE) come through the server. */
  recordRoute?: boolean;
  /** drachtio-srf's name for `recordRoute`: either turns Record-Route on. */
  remainInDialog?: boolean;
  /** A 3xx adds its Contacts as further destinations instead of ending that branch. */
  followRedirects?: boolean;
  /** Give up a destination that sent no provisional response within this time (ms, or '2s', '500ms'). */
  provisionalTimeout?: number | string;
  /** Cancel a destination that sent no final response within this time (ms, or '30s'). */
  finalTimeout?: number | string;
  /** Headers added to every forwarded request. */
  headers?: HeaderMap;
}

/** One destination or several: a SIP URI, or `{ uri, route }` to reach it by a route set (a Path, RFC 3327). */
export type Destinations = ProxyDestination | readonly ProxyDestination[];

/** A duration as drachtio-srf writes it: ms as a number, or '<n>s' / '<n>ms'. */
export function durationMs(value: number | string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const match =
    typeof value === 'number'
      ? [String(value), String(value), 'ms']
      : /^\s*(\d+(?:\.\d+)?)\s*(ms|s)?\s*$/.exec(value);
  const ms = match ? Math.round(Number(match[1]) * (match[2] === 's' ? 1000 : 1)) : NaN;
  if (!Number.isInteger(ms) || ms < 1)
    throw new RangeError(
      `proxy: ${name} must be a positive duration (ms, '2s' or '500ms'), not ${String(value)}`,
    );
  return ms;
}

/** The wire's `proxy` command for a request and its destinations. */
export function proxyCommand(
  transactionId: string,
  destinations: Destinations,
  options: ProxyOptions,
): ProxyData {
  const list: ProxyDestination[] =
    typeof destinations === 'string' || !Array.isArray(destinations)
      ? [destinations as ProxyDestination]
      : [...(destinations as readonly ProxyDestination[])];
  const uriOf = (d: ProxyDestination) => (typeof d === 'string' ? d : d?.uri);
  if (list.length === 0 || list.some((d) => typeof uriOf(d) !== 'string' || uriOf(d) === '')) {
    throw new TypeError(
      'proxy: destinations must be a SIP URI, { uri, route }, or a non-empty array of them',
    );
  }
  const provisionalTimeout = durationMs(options.provisionalTimeout, 'provisionalTimeout');
  const finalTimeout = durationMs(options.finalTimeout, 'finalTimeout');
  return {
    transactionId,
    destinations: list,
    forking: options.forking ?? 'sequential',
    recordRoute: options.recordRoute === true || options.remainInDialog === true,
    ...(options.followRedirects !== undefined ? { followRedirects: options.followRedirects } : {}),
    ...(provisionalTimeout !== undefined ? { provisionalTimeout } : {}),
    ...(finalTimeout !== undefined ? { finalTimeout } : {}),
    ...(options.headers ? { headers: options.headers } : {}),
  };
}
