/**
 * Clients reachable only over their own connection (RFC 5626 flows, RFC 5923 aliases, RFC 7118
 * `.invalid` contacts). When a message arrives over TLS or WebSocket, the host:port of its
 * Contact (and of its Via sent-by when marked `alias`) is remembered against that connection,
 * so a request the application later sends to that contact goes back over the same connection,
 * without the application knowing about connections.
 *
 * A `.invalid` host (RFC 7118 5.2) is matched by name alone: it names nothing else. An address
 * is learned only when it is the connection's own source address, so one client cannot claim
 * another's address. The table is bounded: closed connections are swept, then the oldest dropped.
 */
import type { Transport } from 'drachtio-protocol';
import { parseMessage, type SipMessage } from 'drachtio-sip';
import { stripBrackets } from './dns/target-uri';
import { defaultPort } from './transport-kinds';
import type { Connection, Destination } from './transport';

/** A message names few contacts; more are not learned (a bound on work per message). */
const MAX_CONTACTS_PER_MESSAGE = 4;

export class FlowTable {
  private readonly flows = new Map<string, Connection>();

  constructor(private readonly limit: number) {}

  get size(): number {
    return this.flows.size;
  }

  /** Remembers where the sender of `data` (arrived over `connection`) can be reached. */
  learn(data: Buffer, transport: Transport, connection: Connection): void {
    let message: SipMessage;
    try {
      message = parseMessage(data);
      const contacts = message.get('contact');
      if (Array.isArray(contacts))
        for (const contact of contacts.slice(0, MAX_CONTACTS_PER_MESSAGE))
          this.remember(contact.url.host, contact.url.port, transport, connection);
      const via = message.get('via')?.[0];
      if (via && 'alias' in via.params) this.remember(via.host, via.port, transport, connection);
    } catch {
      // A message that does not parse teaches nothing; the layers above answer it.
    }
  }

  /** The open connection a request to `destination` should take, if one was learned. */
  lookup(destination: Destination): Connection | undefined {
    // Most servers have no TLS or WebSocket clients: no key is built per message for them.
    if (this.flows.size === 0) return undefined;
    const key = flowKey(destination.address, destination.port, destination.transport);
    const connection = this.flows.get(key);
    if (connection?.closed) {
      this.flows.delete(key);
      return undefined;
    }
    return connection;
  }

  private remember(
    rawHost: string,
    port: number | undefined,
    transport: Transport,
    connection: Connection,
  ): void {
    const host = stripBrackets(rawHost).toLowerCase();
    if (!host.endsWith('.invalid') && host !== connection.remote.address) return;
    const key = flowKey(host, port ?? defaultPort(transport), transport);
    if (this.flows.get(key) === connection) return;
    this.flows.delete(key);
    if (this.flows.size >= this.limit) this.evict();
    this.flows.set(key, connection);
  }

  private evict(): void {
    for (const [key, connection] of this.flows) if (connection.closed) this.flows.delete(key);
    if (this.flows.size < this.limit) return;
    const oldest = this.flows.keys().next();
    if (!oldest.done) this.flows.delete(oldest.value);
  }
}

function flowKey(host: string, port: number, transport: Transport): string {
  const name = host.toLowerCase();
  // A `.invalid` name means "over my connection", whatever transport its URI says (ws for wss too).
  return name.endsWith('.invalid') ? `invalid|${name}` : `${transport}|${name}|${port}`;
}
