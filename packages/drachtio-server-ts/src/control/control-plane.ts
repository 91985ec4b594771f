import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { DialogNotice } from 'drachtio-protocol';
import type { EngineCancel, EngineRequest, SipEngine } from '../engine-api';
import { LimitLog } from '../transport/limits/limit-log';
import { Affinity } from './affinity';
import { AppConnection } from './app-connection';
import { CommandExecutor } from './commands';
import { ControlCounters } from './counters';
import type { ControlContext } from './context';
import { EngineEventRouter } from './engine-events';
import { PendingAuth, type Droppable } from './pending-auth';
import type { ControlOptions } from './options';
import { RoundRobin } from './round-robin';
import { whenCodecKnown } from './srf/detect';
import { SrfConnection } from './srf/srf-connection';

export interface AdminAddress {
  address: string;
  port: number;
}

/**
 * The server side of the wire: listens for applications on the admin port, authenticates them,
 * routes the engine's requests to them and carries out their commands through the engine.
 */
/** The bounds that may change while the server runs (SIGHUP); new connections get the new values. */
export type ReloadableLimits = Partial<
  Pick<
    ControlOptions,
    | 'maxFrameSize'
    | 'maxConnections'
    | 'authTimeout'
    | 'keepaliveInterval'
    | 'maxWriteBuffer'
    | 'maxUnauthenticated'
  >
>;

export class ControlPlane {
  /** Frames and limit hits, read by the metrics on scrape. */
  readonly counters = new ControlCounters();
  private readonly context: ControlContext;
  private readonly server: Server;
  private readonly connections = new Set<AppConnection>();
  private readonly pending: PendingAuth<Droppable>;
  private readonly unauthenticatedLog: LimitLog;
  private readonly events: EngineEventRouter;
  private readonly commands: CommandExecutor;
  private readonly listeners = {
    request: (request: EngineRequest) => this.events.onRequest(request),
    cancel: (cancel: EngineCancel) => this.events.onCancel(cancel),
    dialog: (notice: DialogNotice) => this.events.onDialog(notice),
    'transaction-end': (transactionId: string) => this.events.onTransactionEnd(transactionId),
  };

  constructor(engine: SipEngine, options: ControlOptions, logger: Logger) {
    const apps = new RoundRobin<AppConnection>();
    this.context = {
      engine,
      options,
      logger,
      routes: new RoundRobin(),
      apps,
      affinity: new Affinity(apps),
      accepting: true,
    };
    this.pending = new PendingAuth(options.maxUnauthenticated);
    this.unauthenticatedLog = new LimitLog(logger);
    this.events = new EngineEventRouter(this.context);
    this.commands = new CommandExecutor(this.context);
    const onSocket = (socket: Socket) => this.accept(socket);
    this.server = options.tls
      ? createTlsServer({ cert: options.tls.cert, key: options.tls.key }, onSocket)
      : createTcpServer(onSocket);
    this.server.maxConnections = options.maxConnections;
    this.server.on('drop', () => this.counters.limits['max-connections']++);
    this.server.on('tlsClientError', (err: Error) =>
      logger.info({ err }, 'TLS handshake with an application failed'),
    );
    engine.on('request', this.listeners.request);
    engine.on('cancel', this.listeners.cancel);
    engine.on('dialog', this.listeners.dialog);
    engine.on('transaction-end', this.listeners['transaction-end']);
  }

  /** Ownership table sizes: how tests prove that nothing leaks. */
  get stats() {
    return { connections: this.connections.size, ...this.context.affinity.size };
  }

  listen(): Promise<AdminAddress> {
    const { address, port } = this.context.options;
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen({ host: address, port }, () => {
        this.server.off('error', reject);
        this.server.on('error', (err) =>
          this.context.logger.error({ err }, 'admin listener error'),
        );
        const bound = this.server.address() as AddressInfo;
        this.context.logger.info(
          { address: bound.address, port: bound.port, tls: !!this.context.options.tls },
          'admin listener ready',
        );
        resolve({ address: bound.address, port: bound.port });
      });
    });
  }

  /**
   * New requests are refused from now on; dialogs and transactions in progress carry on. With
   * `retryAfter` (seconds), the refusals carry Retry-After so callers try another server.
   */
  stopAccepting(retryAfter?: number): void {
    this.context.accepting = false;
    if (retryAfter !== undefined) this.context.retryAfter = retryAfter;
  }

  /** New bounds for new connections (SIGHUP); the connections already open keep theirs. */
  updateLimits(limits: ReloadableLimits): void {
    const defined = Object.entries(limits).filter(([, value]) => value !== undefined);
    Object.assign(this.context.options, Object.fromEntries(defined));
    this.server.maxConnections = this.context.options.maxConnections;
    this.pending.setCap(this.context.options.maxUnauthenticated);
  }

  /** Closes the listener and every application connection. */
  async close(): Promise<void> {
    this.stopAccepting();
    const { engine } = this.context;
    engine.off('request', this.listeners.request);
    engine.off('cancel', this.listeners.cancel);
    engine.off('dialog', this.listeners.dialog);
    engine.off('transaction-end', this.listeners['transaction-end']);
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const connection of this.connections) connection.close('server shutting down');
    await closed;
  }

  /** The first frame tells the JSON protocol from drachtio-srf's (srf/detect.ts). */
  private accept(socket: Socket): void {
    const { options, logger, routes } = this.context;
    // Unauthenticated from its first byte: a flood of silent sockets counts against the cap
    // before any of them says which wire it speaks.
    const waiting: Droppable = { drop: () => socket.destroy() };
    this.limitUnauthenticated(waiting);
    socket.once('close', () => this.pending.remove(waiting));
    whenCodecKnown(
      socket,
      options.authTimeout,
      (codec) => {
        this.pending.remove(waiting);
        this.join(
          codec === 'srf'
            ? new SrfConnection(socket, options, logger, routes, this.counters)
            : new AppConnection(socket, options, logger, this.counters),
        );
      },
      () => this.counters.limits['auth-timeout']++,
    );
  }

  private join(connection: AppConnection): void {
    this.connections.add(connection);
    // Connections that never authenticate (port probes, health checks) stay out of the info log.
    connection.log.debug('application connected');
    connection.on('command', (envelope) =>
      connection.track(this.commands.execute(connection, envelope)),
    );
    connection.on('close', (reason) => this.release(connection, reason));
    connection.on('authenticated', () => this.pending.remove(connection));
    this.limitUnauthenticated(connection);
  }

  /** Unauthenticated connections past the cap cost the oldest its place (rate-limited warning). */
  private limitUnauthenticated(connection: Droppable): void {
    const dropped = this.pending.add(connection);
    if (dropped === 0) return;
    this.counters.limits['max-unauthenticated'] += dropped;
    this.unauthenticatedLog.hit('max-unauthenticated', {
      cap: this.context.options.maxUnauthenticated,
    });
  }

  /** A connection is gone: it leaves every table and its unanswered requests get a final response. */
  private release(connection: AppConnection, reason: string): void {
    const { routes, apps, affinity, engine, options } = this.context;
    this.connections.delete(connection);
    this.pending.remove(connection);
    routes.remove(connection);
    apps.remove(connection);
    const unanswered = affinity.release(connection);
    const level = connection.isAuthenticated ? 'info' : 'debug';
    connection.log[level]({ reason, unanswered: unanswered.length }, 'application disconnected');
    for (const transactionId of unanswered) {
      engine
        .respond({ transactionId, status: options.disconnectStatus })
        .catch((err: Error) =>
          connection.log.debug(
            { err, transactionId },
            'could not answer a request left by the application',
          ),
        );
    }
  }
}
