/** What each SIP transport implies: reliability and the port a URI without one means. */
import type { Transport } from 'drachtio-protocol';

/** Every transport but UDP is a stream: no request retransmission (RFC 3261 17.1.1.2, 17.1.2.2). */
export function isReliable(transport: Transport): boolean {
  return transport !== 'udp';
}

/** RFC 3261 19.1.2 (5060, 5061 for TLS) and RFC 7118 / RFC 6455 (80 for ws, 443 for wss). */
export function defaultPort(transport: Transport): number {
  switch (transport) {
    case 'tls':
      return 5061;
    case 'ws':
      return 80;
    case 'wss':
      return 443;
    default:
      return 5060;
  }
}
