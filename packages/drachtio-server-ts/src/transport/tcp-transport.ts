/**
 * TCP (or TLS: the StreamSockets given) listener plus a pool of connections keyed by remote
 * address and port, shared by inbound and outbound traffic so a response or an in-dialog
 * request reuses an open connection (RFC 3261 18). Idle connections are closed after `idleTimeout`; a connection whose stream
 * does not frame is closed on its own, leaving every other connection untouched.
 */
import type { Server, Socket } from 'node:net';
import type { Endpoint } from 'drachtio-protocol';
import type { Logger } from 'pino';
import { StreamFramer } from 'drachtio-sip';
import { CRLF_PING, CRLF_PONG } from './keepalive';
import { listenOn } from './listen';
import { TCP_SOCKETS, type StreamSockets } from './stream-sockets';
import { newConnectionId, poolKey, stripV4Mapped } from './remote-address';
import type { Connection, InboundMessage, SendFailure } from './transport';

/** What the abuse limits decide about inbound connections (SipGuard in limits/). */
export interface ConnectionGuard {
  acceptConnection(address: string): boolean;
  releaseConnection(address: string): void;
  onBan(listener: (address: string) => void): void;
}

/**
 * After junk on a stream, the requests framed before it still get their responses: reading
 * stops, and the connection stays open this long (64*T1) for them.
 */
const JUNK_LINGER_MS = 32_000;

class TcpConnection implements Connection {
  readonly id = newConnectionId();
  closed = false;
  // RFC 5626 4.4.1: a CRLFCRLF ping between messages is answered with a CRLF pong.
  private readonly framer = new StreamFramer({ onPing: () => this.write(CRLF_PONG) });

  constructor(
    readonly socket: Socket,
    readonly remote: Endpoint,
  ) {}

  write(data: Buffer): void {
    if (!this.closed) this.socket.write(data);
  }

  /** RFC 5626 4.4.1 keepalive (see keepalive.ts). */
  ping(): void {
    this.write(CRLF_PING);
  }

  /** Returns the complete messages in `chunk`; throws when the stream is malformed. */
  frame(chunk: Buffer): Buffer[] {
    return this.framer.push(chunk);
  }

  /** Set once junk followed the messages last returned. */
  get framingFailure(): Error | undefined {
    return this.framer.failure;
  }
}

export class TcpTransport {
  private server: Server | undefined;
  private readonly connections = new Map<string, TcpConnection>();
  private boundPort = 0;

  constructor(
    readonly host: string,
    private readonly ipv6: boolean,
    private readonly idleTimeout: number,
    private readonly maxConnections: number,
    private readonly logger: Logger,
    private readonly onMessage: (message: InboundMessage) => void,
    private readonly sockets: StreamSockets = TCP_SOCKETS,
    private readonly guard?: ConnectionGuard,
  ) {
    guard?.onBan((address) => this.closeFrom(address));
  }

  get port(): number {
    return this.boundPort;
  }

  /** The open connections, for keepalives. */
  get openConnections(): Iterable<TcpConnection> {
    return this.connections.values();
  }

  async listen(port: number): Promise<void> {
    const server = this.sockets.createServer((socket) => this.accept(socket));
    server.maxConnections = this.maxConnections;
    const where = { port, host: this.host, ipv6: this.ipv6 };
    this.boundPort = await listenOn(
      server,
      where,
      this.logger,
      this.sockets.transport.toUpperCase(),
    );
    this.server = server;
  }

  /** Send over the given connection if still open, else over a pooled or new one to the address. */
  send(
    data: Buffer,
    address: string,
    port: number,
    via?: Connection,
    onFailure?: SendFailure,
  ): void {
    if (via && !via.closed) return via.write(data);
    let connection = this.connections.get(poolKey(address, port));
    if (!connection) {
      if (!this.server) return onFailure?.(new Error('TCP transport is closed'));
      const socket = this.sockets.connect(address, port);
      connection = this.adopt(socket, { address, port, transport: this.sockets.transport });
      if (onFailure) {
        const failed = onFailure;
        socket.once('error', failed);
        socket.once(this.sockets.readyEvent, () => socket.off('error', failed));
      }
    }
    connection.write(data);
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const connection of this.connections.values()) connection.socket.destroy();
    this.connections.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Inbound connections pass the abuse limits first, and give their place back on close. */
  private accept(socket: Socket): void {
    const address = stripV4Mapped(socket.remoteAddress ?? '');
    if (this.guard && !this.guard.acceptConnection(address)) {
      socket.destroy();
      return;
    }
    if (this.guard) socket.once('close', () => this.guard?.releaseConnection(address));
    this.adopt(socket);
  }

  /** A banned address loses every connection it has open. */
  private closeFrom(address: string): void {
    for (const connection of this.connections.values())
      if (connection.remote.address === address) connection.socket.destroy();
  }

  private adopt(socket: Socket, remote?: Endpoint): TcpConnection {
    const endpoint = remote ?? {
      address: stripV4Mapped(socket.remoteAddress ?? ''),
      port: socket.remotePort ?? 0,
      transport: this.sockets.transport,
    };
    const connection = new TcpConnection(socket, endpoint);
    const pooledAs = poolKey(endpoint.address, endpoint.port);
    this.connections.set(pooledAs, connection);
    socket.setNoDelay(true);
    socket.setTimeout(this.idleTimeout);
    socket.on('timeout', () => socket.destroy());
    socket.on('error', (error) =>
      this.logger.debug({ err: error, remote: endpoint }, 'TCP connection error'),
    );
    socket.on('close', () => {
      connection.closed = true;
      if (this.connections.get(pooledAs) === connection) this.connections.delete(pooledAs);
    });
    socket.on('data', (chunk: Buffer) => {
      let messages: Buffer[];
      try {
        messages = connection.frame(chunk);
      } catch (error) {
        this.logger.warn(
          { err: error, remote: endpoint },
          'malformed TCP stream: closing the connection',
        );
        socket.destroy();
        return;
      }
      const receivedAt = Date.now();
      for (const data of messages)
        this.onMessage({ data, source: endpoint, connection, receivedAt });
      if (connection.framingFailure) {
        this.logger.warn(
          { err: connection.framingFailure, remote: endpoint },
          'malformed TCP stream after a request: answering it, then closing the connection',
        );
        socket.pause();
        socket.removeAllListeners('data');
        socket.setTimeout(JUNK_LINGER_MS);
      }
    });
    return connection;
  }
}
