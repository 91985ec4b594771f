/**
 * How requests of ours leave: the RFC 3263 resolver, a global outbound proxy, and the size
 * above which a UDP request goes over TCP. Shared by the UA core's client side.
 */
import type { SipResolver } from './sip-resolver';

/** RFC 3261 18.1.1: a request within 200 bytes of a 1500-byte path MTU goes over TCP. */
export const DEFAULT_MTU = 1300;

export interface OutboundRouting {
  readonly resolver: SipResolver;
  /** Where requests outside a dialog go first (RFC 3261 8.1.2); an app's `proxy` wins. */
  readonly proxy: string | undefined;
  /** A UDP request larger than this many bytes goes over TCP (the C++ server's --mtu). */
  readonly mtu: number;
}
