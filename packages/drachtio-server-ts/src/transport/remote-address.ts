/** How stream transports name a peer and its connection: address, pool key, connection id. */

/** A dual-stack listener reports IPv4 peers as ::ffff:a.b.c.d; SIP wants a.b.c.d. */
export function stripV4Mapped(address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

let lastConnectionId = 0;

/** Connection ids are unique across the stream transports (TCP, TLS, WebSocket). */
export function newConnectionId(): number {
  return ++lastConnectionId;
}

/** The key connections are pooled under: remote address and port. */
export function poolKey(address: string, port: number): string {
  return `${address}|${port}`;
}
