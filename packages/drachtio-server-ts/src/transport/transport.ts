/**
 * What the transport layer hands up and accepts down. Above this line nobody knows whether a
 * message came in a datagram or a stream, only where it came from and how to answer it.
 */
import type { Endpoint, Transport } from 'drachtio-protocol';

/** A connected stream (TCP) a message arrived on; responses prefer it (RFC 3261 18.2.2). */
export interface Connection {
  readonly id: number;
  readonly remote: Endpoint;
  readonly closed: boolean;
  write(data: Buffer): void;
}

export interface InboundMessage {
  data: Buffer;
  source: Endpoint;
  /** Set for stream transports. */
  connection?: Connection;
  receivedAt: number;
}

export interface Destination {
  address: string;
  port: number;
  transport: Transport;
}

/** Called when a message could not be delivered (connection refused, reset, ...). */
export type SendFailure = (error: Error) => void;

/**
 * What the user-agent core needs from the transports: where we are for a peer, and a way to
 * send. TransportLayer implements it over sockets; the UA's unit tests with an array.
 */
export interface SipTransport {
  /** Whether a transport of this kind and address family is bound. */
  supports(transport: Transport, ipv6: boolean): boolean;
  /** Whether `destination` can be sent to: over a client's own connection (a flow), or a bound transport. */
  reaches(destination: Destination): boolean;
  /** Our Via value for a request to `destination` (RFC 3581 rport asked for). */
  viaFor(destination: Destination, branch: string): string;
  /** Our Contact header line for a dialog with `peer`. */
  contactFor(peer: Destination): string;
  /** Where we are reached by `peer`; throws when no transport of its kind and family is bound. */
  localFor(peer: Destination): LocalAddress;
  send(
    data: Buffer,
    destination: Destination,
    connection?: Connection,
    onFailure?: SendFailure,
  ): void;
}

/** Where this engine can be reached on one transport: what goes in Via sent-by and Contact. */
export interface LocalAddress {
  host: string;
  port: number;
  transport: Transport;
}
