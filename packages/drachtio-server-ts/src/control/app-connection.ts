import { EventEmitter } from 'node:events';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import {
  MessageReader,
  MessageWriter,
  ProtocolError,
  encodeReply,
  type CommandMap,
  type CommandName,
  type Envelope,
  type ErrorCode,
  FrameError,
  type NotifyMap,
  type NotifyName,
  type OutgoingMessage,
  type RequestEnvelope,
} from 'drachtio-protocol';
import type { RequestOptions } from '../engine-api';
import { ControlCounters } from './counters';

export interface AppConnectionOptions {
  maxFrameSize: number;
  authTimeout: number;
  keepaliveInterval: number;
  maxWriteBuffer: number;
}

export interface AppConnectionEvents {
  /** A valid command from the application (authenticate first, the rest only after it). */
  command: (envelope: RequestEnvelope) => void;
  authenticated: () => void;
  close: (reason: string) => void;
}

let nextConnectionId = 1;

/** Commands of one connection being carried out at once; beyond this, reading pauses. */
export const MAX_COMMANDS_IN_FLIGHT = 1000;
const CLOSE_GRACE_MS = 5000;

/**
 * One application's TCP (or TLS) connection: reads frames, turns bad input into error replies,
 * enforces "authenticate first", keeps the connection alive with pings both ways, and writes
 * replies and notifications. What the commands mean is the control plane's business.
 */
export class AppConnection extends EventEmitter {
  readonly id = nextConnectionId++;
  readonly remote: string;
  log: Logger;
  appName?: string;
  version?: number;
  /** Upper-case methods this connection asked to receive new requests for. */
  readonly verbs = new Set<string>();
  /** What this connection's requests leave to the application (the JSON protocol: nothing). */
  readonly requestOptions: RequestOptions = {};
  private authenticated = false;
  private closed = false;
  private readonly reader: MessageReader;
  private readonly writer: MessageWriter;
  private lastHeard = Date.now();
  private pendingPing?: string;
  private pingCounter = 0;
  private commandsInFlight = 0;
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    protected readonly socket: Socket,
    private readonly options: AppConnectionOptions,
    logger: Logger,
    private readonly counters: ControlCounters = new ControlCounters(),
  ) {
    super();
    this.remote = `${socket.remoteAddress}:${socket.remotePort}`;
    this.log = logger.child({ connection: this.id, remote: this.remote });
    this.reader = new MessageReader({ maxFrameSize: options.maxFrameSize });
    this.writer = new MessageWriter(socket);
    socket.setNoDelay(true);
    socket.setKeepAlive(true, options.keepaliveInterval);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err) => this.log.debug({ err }, 'socket error'));
    socket.on('close', () => this.finish('connection closed by the application'));
    this.timers.push(
      setTimeout(() => this.authenticated || this.authTimedOut(), options.authTimeout),
    );
    this.timers.push(setInterval(() => this.keepalive(), options.keepaliveInterval));
    for (const timer of this.timers) timer.unref();
  }

  override on<E extends keyof AppConnectionEvents>(
    event: E,
    listener: AppConnectionEvents[E],
  ): this {
    return super.on(event, listener);
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  get isAuthenticated(): boolean {
    return this.authenticated;
  }

  markAuthenticated(appName: string | undefined, version: number): void {
    this.authenticated = true;
    this.appName = appName;
    this.version = version;
    this.log = this.log.child({ appName });
    this.emit('authenticated');
  }

  reply<C extends CommandName>(rid: string, data: CommandMap[C][1]): void {
    this.write(encodeReply<C>(rid, data));
  }

  replyError(rid: string, code: ErrorCode, message: string): void {
    this.write({ envelope: { type: 'response', rid, ok: false, error: { code, message } } });
  }

  notify<N extends NotifyName>(command: N, data: NotifyMap[N], sip?: string): void {
    this.write({ envelope: { type: 'notify', command, data } as Envelope, sip });
  }

  /**
   * Counts a command until it settles. A connection that sends commands faster than they are
   * carried out stops being read (TCP pushes back on the sender) until half of them are done.
   */
  track(command: Promise<void>): void {
    if (++this.commandsInFlight === MAX_COMMANDS_IN_FLIGHT) {
      this.counters.limits['commands-in-flight']++;
      this.socket.pause();
    }
    void command.finally(() => {
      if (--this.commandsInFlight === MAX_COMMANDS_IN_FLIGHT / 2 && this.socket.isPaused())
        this.socket.resume();
    });
  }

  /** Closes at once, nothing flushed: for a peer that gets no more of our time (never authenticated). */
  drop(reason: string): void {
    this.finish(reason);
    this.socket.destroy();
  }

  /** Flushes what is queued, then closes; the reason goes to the log. */
  close(reason: string): void {
    if (this.closed) return;
    this.log.info({ reason }, 'closing application connection');
    this.finish(reason);
    // Once everything queued is flushed, nothing more is read or written; a peer that does not
    // read what is left gets a few seconds before the socket is destroyed anyway.
    this.socket.end(() => this.socket.destroy());
    this.socket.setTimeout(CLOSE_GRACE_MS, () => this.socket.destroy());
  }

  private write(message: OutgoingMessage): void {
    if (this.closed) return;
    if (this.socket.writableLength > this.options.maxWriteBuffer) {
      this.counters.limits['max-write-buffer']++;
      // The reason first: destroying the socket reports it closed.
      this.finish(
        `application is not reading: more than ${this.options.maxWriteBuffer} bytes queued`,
      );
      this.socket.destroy();
      return;
    }
    this.counters.framesOut++;
    this.deliver(message);
  }

  /** Puts one message on the wire in this connection's codec (JSON here; srf/ overrides it). */
  protected deliver(message: OutgoingMessage): void {
    this.writer.write(message);
  }

  protected onData(chunk: Buffer): void {
    this.lastHeard = Date.now();
    for (const item of this.reader.push(chunk)) {
      if (this.closed) return;
      if (item instanceof ProtocolError) this.onBadInput(item);
      else {
        this.counters.framesIn++;
        this.onEnvelope(item.envelope);
      }
    }
  }

  private onBadInput(error: ProtocolError): void {
    // A non-fatal frame error is an oversized frame (maxFrameSize), skipped whole.
    if (error instanceof FrameError && !error.fatal) this.counters.limits['max-frame-size']++;
    this.log.warn({ code: error.code, reason: error.message }, 'bad input from application');
    this.replyError(error.rid ?? '', error.code, error.message);
    if ((error as FrameError).fatal || !this.authenticated) this.close(error.message);
  }

  protected onEnvelope(envelope: Envelope): void {
    if (envelope.type === 'response') return this.onResponse(envelope.rid);
    if (envelope.type === 'notify') {
      return this.onBadInput(
        new ProtocolError(
          'invalid-argument',
          'applications send requests and responses, not notifications',
        ),
      );
    }
    if (!this.authenticated && envelope.command !== 'authenticate') {
      this.replyError(
        envelope.rid,
        'not-authenticated',
        `'${envelope.command}' before 'authenticate'`,
      );
      return this.close(`'${envelope.command}' before authentication`);
    }
    if (envelope.command === 'ping') return this.reply<'ping'>(envelope.rid, {});
    this.emit('command', envelope);
  }

  private onResponse(rid: string): void {
    if (rid === this.pendingPing) this.pendingPing = undefined;
    else this.log.debug({ rid }, 'response to no request of ours; ignored');
  }

  private authTimedOut(): void {
    this.counters.limits['auth-timeout']++;
    this.close('authentication timeout');
  }

  /** Silence for two intervals means the peer is gone even if TCP has not noticed yet. */
  protected keepalive(): void {
    if (Date.now() - this.lastHeard > 2 * this.options.keepaliveInterval) {
      this.finish('keepalive timeout: no traffic from the application');
      this.socket.destroy();
      return;
    }
    if (!this.authenticated || this.pendingPing) return;
    this.pendingPing = `s${++this.pingCounter}`;
    this.write({ envelope: { type: 'request', rid: this.pendingPing, command: 'ping', data: {} } });
  }

  protected finish(reason: string): void {
    if (this.closed) return;
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.length = 0;
    this.emit('close', reason);
  }
}
