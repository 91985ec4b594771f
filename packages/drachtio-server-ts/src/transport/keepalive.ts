/**
 * RFC 5626 4.4.1 keepalives on stream transports: we send a double CRLF ping every interval
 * (drachtio-server's --tcp-keepalive-interval) and answer a peer's ping with a single CRLF pong,
 * so NAT bindings stay open and a registered client stays reachable over its own connection.
 */
export const CRLF_PING = Buffer.from('\r\n\r\n');
export const CRLF_PONG = Buffer.from('\r\n');

export interface Pingable {
  ping(): void;
}

/** Pings every connection the sources list, every `intervalMs`; stop() ends it. */
export class Keepalive {
  private readonly timer: NodeJS.Timeout;

  constructor(intervalMs: number, sources: () => Iterable<Pingable>) {
    this.timer = setInterval(() => {
      for (const connection of sources()) connection.ping();
    }, intervalMs);
    // Keepalives alone never keep the process up.
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/** A WebSocket message that is only CR and LF: a ping when it is CRLFCRLF, else nothing. */
export function crlfOnly(data: Buffer): 'ping' | 'blank' | undefined {
  for (const byte of data) if (byte !== 0x0d && byte !== 0x0a) return undefined;
  return data.equals(CRLF_PING) ? 'ping' : 'blank';
}
