/**
 * SIP over WebSocket (RFC 7118): an HTTP or HTTPS listener that upgrades to WebSocket with the
 * `sip` subprotocol. Each WebSocket message is one SIP message. The server never opens a
 * WebSocket itself: a browser is reached only over the connection it opened, so connections
 * are pooled by remote address and port (and, above, by the Contact it registered: flows.ts).
 */
import { isUtf8 } from 'node:buffer';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { TlsOptions } from 'node:tls';
import type { Endpoint } from 'drachtio-protocol';
import type { Logger } from 'pino';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { CRLF_PONG, Keepalive, crlfOnly } from './keepalive';
import { listenOn } from './listen';
import { newConnectionId, poolKey, stripV4Mapped } from './remote-address';
import type { Connection, InboundMessage, SendFailure } from './transport';

interface HostPort {
  address: string;
  port: number;
}

export interface WebSocketSettings {
  /** Origins allowed to connect (exact match, e.g. 'https://phone.example.com'); empty or absent: any. */
  allowedOrigins?: readonly string[];
  /** Largest WebSocket message accepted, bytes (default 65536); a larger one closes the connection. */
  maxMessageSize?: number;
}

export interface WsTransportOptions extends WebSocketSettings {
  /** Set for wss: the HTTPS listener's certificate. */
  tls?: TlsOptions;
  maxConnections: number;
  /** ms between WebSocket pings; a connection that did not answer the previous one is dropped. */
  pingInterval: number;
  logger: Logger;
  onMessage: (message: InboundMessage) => void;
}

class WsConnection implements Connection {
  readonly id = newConnectionId();
  closed = false;
  private answered = true;

  constructor(
    readonly socket: WebSocket,
    readonly remote: Endpoint,
  ) {
    socket.on('pong', () => (this.answered = true));
  }

  /** RFC 7118 5: UTF-8 goes in text frames, anything else (a binary body) in binary ones. */
  write(data: Buffer): void {
    if (!this.closed) this.socket.send(data, { binary: !isUtf8(data) });
  }

  /** A WebSocket ping; a peer that did not pong since the last one is gone. */
  ping(): void {
    if (!this.answered) {
      this.socket.terminate();
      return;
    }
    this.answered = false;
    this.socket.ping();
  }
}

export class WsTransport {
  private server: Server | undefined;
  private wss: WebSocketServer | undefined;
  private keepalive: Keepalive | undefined;
  private readonly connections = new Map<string, WsConnection>();
  private boundPort = 0;

  constructor(
    readonly host: string,
    private readonly ipv6: boolean,
    private readonly options: WsTransportOptions,
  ) {}

  get transport(): 'ws' | 'wss' {
    return this.options.tls ? 'wss' : 'ws';
  }

  get port(): number {
    return this.boundPort;
  }

  async listen(port: number): Promise<void> {
    const { tls, maxConnections, maxMessageSize, logger } = this.options;
    // A plain HTTP request gets 426: only the upgrade is served here.
    const refuse = (_req: IncomingMessage, res: ServerResponse): void => {
      res.writeHead(426, { Connection: 'close', Upgrade: 'websocket' }).end();
    };
    const server = tls ? createHttpsServer(tls, refuse) : createHttpServer(refuse);
    server.maxConnections = maxConnections;
    const wss = new WebSocketServer({
      server,
      maxPayload: maxMessageSize ?? 65536,
      handleProtocols: (protocols) => (protocols.has('sip') ? 'sip' : false),
      verifyClient: (info, done) => this.admit(info.origin, info.req, done),
    });
    wss.on('connection', (socket, req) => this.adopt(socket, req));
    wss.on('error', (error) => logger.error({ err: error }, 'WebSocket listener error'));
    const where = { port, host: this.host, ipv6: this.ipv6 };
    this.boundPort = await listenOn(server, where, logger, 'WebSocket');
    this.server = server;
    this.wss = wss;
    this.keepalive = new Keepalive(this.options.pingInterval, () => this.connections.values());
  }

  /** Over the given connection if open, else over the one from `to` (never a new one). */
  send(data: Buffer, to: HostPort, via: Connection | undefined, onFailure?: SendFailure): void {
    const connection =
      via && !via.closed ? via : this.connections.get(poolKey(to.address, to.port));
    if (connection) return connection.write(data);
    onFailure?.(new Error(`no ${this.transport} connection from ${to.address}:${to.port}`));
  }

  async close(): Promise<void> {
    this.keepalive?.stop();
    for (const connection of this.connections.values()) connection.socket.terminate();
    this.connections.clear();
    const { server, wss } = this;
    this.server = undefined;
    this.wss = undefined;
    wss?.close();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** RFC 7118 4: the `sip` subprotocol is required; the Origin must be on the list when there is one. */
  private admit(
    origin: string | undefined,
    req: IncomingMessage,
    done: (ok: boolean, code?: number, message?: string) => void,
  ): void {
    const protocols = String(req.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((p) => p.trim().toLowerCase());
    if (!protocols.includes('sip')) return done(false, 400, 'the sip subprotocol is required');
    const allowed = this.options.allowedOrigins;
    if (allowed?.length && (origin === undefined || !allowed.includes(origin))) {
      this.options.logger.info({ origin }, 'WebSocket refused: Origin not allowed');
      return done(false, 403, 'Origin not allowed');
    }
    done(true);
  }

  private adopt(socket: WebSocket, req: IncomingMessage): void {
    const remote: Endpoint = {
      address: stripV4Mapped(req.socket.remoteAddress ?? ''),
      port: req.socket.remotePort ?? 0,
      transport: this.transport,
    };
    const connection = new WsConnection(socket, remote);
    const pooledAs = poolKey(remote.address, remote.port);
    this.connections.set(pooledAs, connection);
    socket.on('error', (error) =>
      this.options.logger.debug({ err: error, remote }, 'WebSocket connection error'),
    );
    socket.on('close', () => {
      connection.closed = true;
      if (this.connections.get(pooledAs) === connection) this.connections.delete(pooledAs);
    });
    socket.on('message', (raw: RawData) => {
      const data = toBuffer(raw);
      const blank = crlfOnly(data);
      if (blank === 'ping') connection.write(CRLF_PONG);
      if (blank !== undefined) return;
      this.options.onMessage({ data, source: remote, connection, receivedAt: Date.now() });
    });
  }
}

function toBuffer(raw: RawData): Buffer {
  if (Buffer.isBuffer(raw)) return raw;
  return Array.isArray(raw) ? Buffer.concat(raw) : Buffer.from(raw);
}
