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

/** Where this engine can be reached on one transport: what goes in Via sent-by and Contact. */
export interface LocalAddress {
  host: string;
  port: number;
  transport: Transport;
}
