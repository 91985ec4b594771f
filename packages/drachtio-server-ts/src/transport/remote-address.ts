/** How stream transports name a peer: its address as the socket reports it, and a pool key. */

/** A dual-stack listener reports IPv4 peers as ::ffff:a.b.c.d; SIP wants a.b.c.d. */
export function stripV4Mapped(address: string): string {
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

/** The key connections are pooled under: remote address and port. */
export function poolKey(address: string, port: number): string {
  return `${address}|${port}`;
}
