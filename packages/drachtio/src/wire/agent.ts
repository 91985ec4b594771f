import { EventEmitter } from 'node:events';
import { connect as tcpConnect, type Socket } from 'node:net';
import {
  MessageReader,
  DEFAULT_ADMIN_PORT,
  MessageWriter,
  SUPPORTED_VERSIONS,
  decodeResult,
  type AuthenticateResult,
  type CancelNotice,
  type CommandMap,
  type CommandName,
  type DialogNotice,
  type Envelope,
  type Frame,
  type ProxyNotice,
  type RequestNotice,
  type ResponseNotice,
} from 'drachtio-protocol';
import { NotConnectedError, ServerError } from '../errors';
import { debugEnabled, type Logger } from '../logger';
import { FrameInbox } from './frame-inbox';
import { reconnectDelay, type ConnectOptions, type ReconnectInfo } from './connect-options';

export interface AgentEvents {
  ready: [result: AuthenticateResult];
  /** The first attempt to reach the server failed, or the server refused our credentials. */
  failed: [error: Error];
  disconnect: [error?: Error];
  reconnecting: [info: ReconnectInfo];
  request: [notice: RequestNotice, sip: string];
  response: [notice: ResponseNotice, sip: string];
  cancel: [notice: CancelNotice, sip: string];
  dialog: [notice: DialogNotice];
  /** Version 2: the outcome of a request this application had the server proxy. */
  proxy: [notice: ProxyNotice];
  /** A problem on the wire that concerns no particular command. */
  warning: [error: Error];
}

type Result<C extends CommandName> = CommandMap[C][1];

interface PendingCommand {
  resolve: (data: unknown) => void;
  reject: (error: Error) => void;
}

type State = 'idle' | 'connecting' | 'authenticating' | 'ready' | 'waiting' | 'closed';

/** Commands issued before the connection is ready wait here; the bound keeps a dead server from eating memory. */
const MAX_QUEUED_COMMANDS = 10_000;
const DEFAULT_KEEPALIVE_MS = 15_000;

/**
 * The wire client: one TCP connection to drachtio-server-ts speaking drachtio-protocol.
 * It authenticates, registers routes, correlates command replies by rid, turns server
 * notifications into events and reconnects with backoff when the connection is lost.
 * Commands sent while not connected are queued until the connection is ready.
 */
export class Agent extends EventEmitter<AgentEvents> {
  private state: State = 'idle';
  private options?: ConnectOptions;
  private socket?: Socket;
  private writer?: MessageWriter;
  private reader = new MessageReader();
  private readonly inbox = new FrameInbox((frame) => this.onFrame(frame));
  private readonly pending = new Map<string, PendingCommand>();
  private queue: Array<{ send: () => void; reject: (error: Error) => void }> = [];
  private nextRid = 1;
  private verbs: string[] = [];
  private attempt = 0;
  private everConnected = false;
  private retryTimer?: NodeJS.Timeout;
  private keepaliveTimer?: NodeJS.Timeout;
  /** The result of the last successful authentication (hostport, contacts, ...). */
  server?: AuthenticateResult;

  constructor(private readonly logger: Logger) {
    super();
  }

  get ready(): boolean {
    return this.state === 'ready';
  }

  /** The secret this app connects with: what every instance of one app shares (digestAuth signs nonces with it). */
  get secret(): string | undefined {
    return this.options?.secret;
  }

  connect(options: ConnectOptions): void {
    if (this.state !== 'idle' && this.state !== 'closed') {
      throw new Error('app.connect() was already called; call app.disconnect() first');
    }
    if (typeof options?.secret !== 'string')
      throw new TypeError('app.connect(): a secret is required');
    this.options = options;
    this.attempt = 0;
    this.everConnected = false;
    this.open();
  }

  /** Closes the connection for good: no reconnection, queued and pending commands fail. */
  close(): void {
    this.state = 'closed';
    clearTimeout(this.retryTimer);
    clearTimeout(this.keepaliveTimer);
    const error = new NotConnectedError('disconnected from drachtio-server-ts by the application');
    this.failAll(error);
    const socket = this.socket;
    this.socket = undefined;
    if (socket) {
      socket.removeAllListeners('close');
      socket.destroy();
      this.emit('disconnect');
    }
  }

  /** The upper-case methods this application wants new requests for; re-sent on every change. */
  setRoutes(verbs: string[]): void {
    this.verbs = verbs;
    if (this.state === 'ready') this.sendRoutes(() => undefined);
  }

  command<C extends CommandName>(command: C, data: CommandMap[C][0]): Promise<Result<C>> {
    return new Promise<Result<C>>((resolve, reject) => {
      const send = (): void =>
        this.write(command, data, resolve as (value: unknown) => void, reject);
      if (this.state === 'ready') return send();
      if (this.state === 'closed' || this.state === 'idle') {
        return reject(
          new NotConnectedError(
            `cannot send '${command}': not connected to drachtio-server-ts (call app.connect() first)`,
          ),
        );
      }
      if (this.queue.length >= MAX_QUEUED_COMMANDS) {
        return reject(
          new NotConnectedError(
            `cannot send '${command}': ${MAX_QUEUED_COMMANDS} commands already wait for the connection`,
          ),
        );
      }
      this.queue.push({ send, reject });
    });
  }

  private open(): void {
    const options = this.options as ConnectOptions;
    this.state = 'connecting';
    this.reader = new MessageReader();
    this.inbox.clear();
    const target = { host: options.host ?? 'localhost', port: options.port ?? DEFAULT_ADMIN_PORT };
    this.logger.debug(target, 'connecting to drachtio-server-ts');
    const socket = tcpConnect(target);
    this.socket = socket;
    this.writer = new MessageWriter(socket);
    socket.setNoDelay(true);
    socket.on('connect', () => void this.authenticate(options));
    socket.on('data', (chunk) => this.onData(chunk));
    socket.on('error', (error) => {
      if (!this.everConnected && this.attempt === 0) this.emit('failed', error);
    });
    socket.on('close', () => this.onClose());
  }

  private async authenticate(options: ConnectOptions): Promise<void> {
    this.state = 'authenticating';
    try {
      const result = await new Promise<AuthenticateResult>((resolve, reject) => {
        const data = {
          secret: options.secret,
          versions: [...SUPPORTED_VERSIONS],
          ...(options.appName ? { appName: options.appName } : {}),
        };
        this.write('authenticate', data, resolve as (value: unknown) => void, reject);
      });
      this.server = result;
      // 'ready' (the app's 'connect') only once the routes are in place, so a request sent to
      // the server right after 'connect' already finds this application.
      const verbs = this.verbs;
      await new Promise<void>((resolve) => this.sendRoutes(resolve));
      this.state = 'ready';
      // Handlers added while we were authenticating.
      if (this.verbs !== verbs) this.sendRoutes(() => undefined);
      this.startKeepalive(options.keepalive ?? DEFAULT_KEEPALIVE_MS);
      this.attempt = 0;
      this.everConnected = true;
      const queued = this.queue;
      this.queue = [];
      for (const command of queued) command.send();
      this.logger.info(
        { hostport: result.hostport, version: result.version, serverVersion: result.serverVersion },
        'connected to drachtio-server-ts',
      );
      this.emit('ready', result);
    } catch (error) {
      // A refused secret or version will not get better by retrying.
      this.state = 'closed';
      this.failAll(error as Error);
      this.socket?.removeAllListeners('close');
      this.socket?.destroy();
      this.socket = undefined;
      this.emit('failed', error as Error);
    }
  }

  private sendRoutes(done: () => void): void {
    const socket = this.socket;
    this.write('route', { verbs: this.verbs }, done, (error) => {
      if (this.socket === socket) this.emit('warning', error);
      done();
    });
  }

  private write(
    command: CommandName,
    data: unknown,
    resolve: (value: unknown) => void,
    reject: (error: Error) => void,
  ): void {
    const socket = this.socket;
    if (!socket || socket.destroyed) {
      reject(
        new NotConnectedError(
          `cannot send '${command}': the connection to drachtio-server-ts is gone`,
        ),
      );
      return;
    }
    const rid = String(this.nextRid++);
    this.pending.set(rid, { resolve, reject });
    const envelope = { type: 'request', rid, command, data } as Envelope;
    if (command !== 'authenticate' && debugEnabled(this.logger))
      this.logger.debug({ rid, command, data }, 'command');
    this.writer?.write({ envelope });
  }

  private onData(chunk: Buffer): void {
    const frames: Frame[] = [];
    for (const item of this.reader.push(chunk)) {
      if (item instanceof Error) this.emit('warning', item);
      else frames.push(item);
    }
    if (this.reader.broken) this.socket?.destroy();
    this.inbox.push(frames);
  }

  private onFrame({ envelope, sip }: Frame): void {
    switch (envelope.type) {
      case 'response': {
        const pending = this.pending.get(envelope.rid);
        if (!pending) return;
        this.pending.delete(envelope.rid);
        if (envelope.ok) pending.resolve(decodeResult(envelope, sip));
        else pending.reject(new ServerError(envelope.error.code, envelope.error.message));
        return;
      }
      case 'request':
        // The server only ever asks us to ping; anything else is answered with an error.
        this.writer?.write({
          envelope:
            envelope.command === 'ping'
              ? { type: 'response', rid: envelope.rid, ok: true, data: {} }
              : {
                  type: 'response',
                  rid: envelope.rid,
                  ok: false,
                  error: {
                    code: 'unknown-command',
                    message: `an application does not handle '${envelope.command}'`,
                  },
                },
        });
        return;
      case 'notify':
        this.onNotify(envelope.command, envelope.data, sip ?? '');
        return;
    }
  }

  private onNotify(command: string, data: unknown, sip: string): void {
    if (debugEnabled(this.logger)) this.logger.debug({ command, data }, 'notification');
    switch (command) {
      case 'request':
        this.emit('request', data as RequestNotice, sip);
        return;
      case 'response':
        this.emit('response', data as ResponseNotice, sip);
        return;
      case 'cancel':
        this.emit('cancel', data as CancelNotice, sip);
        return;
      case 'dialog':
        this.emit('dialog', data as DialogNotice);
        return;
      case 'proxy':
        this.emit('proxy', data as ProxyNotice);
        return;
    }
  }

  /** One ping at a time; an unanswered one means the server is gone, whatever TCP thinks. */
  private startKeepalive(interval: number): void {
    if (interval <= 0) return;
    const socket = this.socket;
    const ping = (): void => {
      if (this.socket !== socket || this.state !== 'ready') return;
      const deadline = setTimeout(() => {
        this.emit(
          'warning',
          new NotConnectedError(
            `drachtio-server-ts did not answer a ping within ${interval} ms; reconnecting`,
          ),
        );
        socket?.destroy();
      }, interval).unref();
      const answered = (): void => {
        clearTimeout(deadline);
        this.keepaliveTimer = setTimeout(ping, interval).unref();
      };
      this.write('ping', {}, answered, () => clearTimeout(deadline));
    };
    this.keepaliveTimer = setTimeout(ping, interval).unref();
  }

  private onClose(): void {
    clearTimeout(this.keepaliveTimer);
    const wasReady = this.state === 'ready';
    this.socket = undefined;
    const error = new NotConnectedError('the connection to drachtio-server-ts was lost');
    for (const [, command] of this.pending) command.reject(error);
    this.pending.clear();
    if (this.state === 'closed') return;
    if (wasReady) this.emit('disconnect', error);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    const delay = reconnectDelay(this.options?.reconnect ?? true, this.attempt + 1);
    if (delay === undefined) {
      this.state = 'closed';
      this.failAll(
        new NotConnectedError('the connection to drachtio-server-ts was lost and reconnect is off'),
      );
      return;
    }
    this.attempt += 1;
    this.state = 'waiting';
    this.logger.info(
      { attempt: this.attempt, delay },
      'connection to drachtio-server-ts lost: reconnecting',
    );
    this.emit('reconnecting', { attempt: this.attempt, delay });
    this.retryTimer = setTimeout(() => this.open(), delay);
  }

  private failAll(error: Error): void {
    for (const [, command] of this.pending) command.reject(error);
    this.pending.clear();
    const queued = this.queue;
    this.queue = [];
    for (const command of queued) command.reject(error);
  }
}
