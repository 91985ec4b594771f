import type { Endpoint } from 'drachtio-protocol';

export type MessageSource = 'network' | 'application';

/**
 * The C++ server's description of a SIP message, in its order: who produced it, its size in
 * bytes, the transport, the peer's address and port, and the time (srf keeps it as a string).
 */
export function metaTokens(
  source: MessageSource,
  raw: string,
  peer: Endpoint,
  time: number,
): string[] {
  return [
    source,
    String(Buffer.byteLength(raw, 'utf8')),
    peer.transport,
    peer.address,
    String(peer.port),
    timeOfDay(time),
  ];
}

/** `HH:MM:SS.mmmmmm` (UTC), the shape of the C++ server's time token. */
export function timeOfDay(time: number): string {
  return `${new Date(time).toISOString().slice(11, 23)}000`;
}
