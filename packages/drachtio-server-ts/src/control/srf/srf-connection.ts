import type { ControlCounters } from '../counters';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import {
  FrameDecoder,
  FrameError,
  PROTOCOL_VERSION,
  ProtocolError,
  type OutgoingMessage,
  type ProxyData,
  type ProxyNotice,
  type RequestEnvelope,
} from 'drachtio-protocol';
import type { RequestOptions } from '../../engine-api';
import { AppConnection, type AppConnectionOptions } from '../app-connection';
import type { RoundRobin } from '../round-robin';
import { CDR_TYPES, CdrObserver, cdrFrame, type CdrRecord, type CdrType } from './cdr';
import { encodeNotice } from './notices';
import { proxyCommand, proxyOutcome } from './proxy';
import { encodeFailure, encodeSuccess, type PendingReply } from './replies';
import { sipCommand } from './sip-command';
import { parseSrfFrame, srfFrame, type SrfFrame } from './srf-frame';
import { SrfState } from './srf-state';

/** srf message ids awaiting a reply at once; as the JSON codec, reading pauses past this. */
const MAX_PENDING = 10_000;

/**
 * An application connection that speaks the C++ drachtio-server's wire, the one drachtio-srf
 * 5.x talks. It is an AppConnection like any other to the control plane: srf frames are read
 * into the same commands (authenticate, route, respond, request, ack, cancel) and the control
 * plane's replies and notifications are written as srf frames. What the JSON codec does that
 * srf would not understand it does not do: it never pings and never closes an idle connection.
 */
export class SrfConnection extends AppConnection {
  private readonly decoder: FrameDecoder;
  private readonly state = new SrfState();
  private readonly pending = new Map<string, PendingReply>();
  private readonly cdrs = new CdrObserver();
  /** Proxied transaction id -> srf message id its outcome answers. */
  private readonly proxying = new Map<string, string>();
  /** srf sends its own ACK for every 2xx and its own PRACK, as the C++ server lets it. */
  override readonly requestOptions: RequestOptions = { appOwnsAck: true, appOwnsPrack: true };

  constructor(
    socket: Socket,
    options: AppConnectionOptions,
    logger: Logger,
    /** The verb table, for `remove_route`, which the JSON protocol has no command for. */
    private readonly routes: RoundRobin<AppConnection>,
    counters: ControlCounters,
  ) {
    super(socket, options, logger.child({ codec: 'srf' }), counters);
    this.decoder = new FrameDecoder({ maxFrameSize: options.maxFrameSize });
  }

  /** Open srf dialogs known to this connection, for leak checks. */
  get srfDialogs(): number {
    return this.state.ids.size;
  }

  protected override keepalive(): void {
    // srf answers no ping of ours, and an idle srf connection is a normal one (C++ behaviour).
  }

  protected override onData(chunk: Buffer): void {
    for (const item of this.decoder.push(chunk)) {
      if (!this.isOpen) return;
      if (item instanceof FrameError) {
        this.log.warn({ reason: item.message }, 'bad frame from srf application');
        if (item.fatal) return this.close(item.message);
        continue;
      }
      this.onFrame(parseSrfFrame(item.toString('utf8')));
    }
  }

  protected override deliver(message: OutgoingMessage): void {
    const { envelope } = message;
    const pending = envelope.type === 'response' ? this.pending.get(envelope.rid) : undefined;
    const sip = sipText(message);
    const frame = this.encode(message, sip);
    if (!frame) return;
    this.socket.write(frame);
    for (const record of this.cdrs.observe(message, sip ?? '', pending)) this.publishCdr(record);
  }

  /**
   * As the C++ server: a record goes to one of the connections subscribed to its type (in turn),
   * whichever connection's call it is about.
   */
  private publishCdr(record: CdrRecord): void {
    const subscriber = this.routes.next(record.type);
    if (subscriber instanceof SrfConnection) subscriber.send(cdrFrame(record));
  }

  private onFrame(frame: SrfFrame): void {
    const { msgId, type, args } = frame;
    if (!msgId || msgId.length > 128) return this.refuse(msgId, 'NO', 'Invalid message format');
    if (type === 'ping') return this.send(srfFrame(['response', msgId, 'OK', 'pong']));
    if (type === 'authenticate') {
      return this.command(msgId, { kind: 'authenticate' }, 'authenticate', {
        secret: args[0] ?? '',
        versions: [PROTOCOL_VERSION],
      });
    }
    if (!this.isAuthenticated) {
      this.refuse(msgId, 'NO', 'not authenticated');
      return this.close(`'${type}' before authentication`);
    }
    switch (type) {
      case 'route':
        return this.route(msgId, args[0] ?? '');
      case 'remove_route':
        return this.removeRoute(msgId, args[0] ?? '');
      case 'sip':
        return this.sip(frame);
      case 'proxy':
        return this.proxy(frame);
      default:
        return this.refuse(msgId, 'NO', 'Unknown message type');
    }
  }

  private route(msgId: string, verb: string): void {
    if (isCdrType(verb)) {
      // Kept in the verbs table under its own (lower-case) name, which no SIP method can take.
      this.routes.add(verb, this);
      return this.send(srfFrame(['response', msgId, 'OK']));
    }
    if (!/^[A-Za-z]+$/.test(verb))
      return this.refuse(msgId, 'NO', 'Route request includes unsupported verb');
    this.command(msgId, { kind: 'route' }, 'route', { verbs: [verb] });
  }

  private removeRoute(msgId: string, verb: string): void {
    if (isCdrType(verb)) {
      this.routes.remove(this, verb);
      return this.send(srfFrame(['response', msgId, 'OK']));
    }
    const upper = verb.toUpperCase();
    this.verbs.delete(upper);
    this.routes.remove(this, upper);
    this.send(srfFrame(['response', msgId, 'OK']));
  }

  private sip(frame: SrfFrame): void {
    try {
      const command = sipCommand(frame.args, frame.sip, this.state);
      this.command(frame.msgId, { kind: 'sip', command }, command.command, command.data);
    } catch (error) {
      const message = error instanceof ProtocolError ? error.message : String(error);
      this.log.info({ reason: message }, 'srf sip command refused');
      this.refuse(frame.msgId, 'NOK', message);
    }
  }

  private proxy(frame: SrfFrame): void {
    let data: ProxyData;
    try {
      data = proxyCommand(frame.args, frame.sip);
    } catch (error) {
      const message = error instanceof ProtocolError ? error.message : String(error);
      return this.refuse(frame.msgId, 'NOK', message);
    }
    this.command(frame.msgId, { kind: 'proxy', transactionId: data.transactionId }, 'proxy', data);
  }

  private command<C extends RequestEnvelope['command']>(
    msgId: string,
    pending: PendingReply,
    command: C,
    data: RequestEnvelope<C>['data'],
  ): void {
    if (this.pending.size >= MAX_PENDING)
      return this.refuse(msgId, 'NOK', 'too many commands in progress');
    this.pending.set(msgId, pending);
    this.onEnvelope({ type: 'request', rid: msgId, command, data } as RequestEnvelope);
  }

  private encode(message: OutgoingMessage, sip: string | undefined): Buffer | undefined {
    const { envelope } = message;
    if (envelope.type === 'notify' && envelope.command === 'proxy') {
      const notice = envelope.data as ProxyNotice;
      const msgId = this.proxying.get(notice.transactionId);
      if (msgId === undefined) return undefined;
      this.proxying.delete(notice.transactionId);
      // The engine answered the request: the source kept for srf's own answer is not needed.
      this.state.sourceOf(notice.transactionId, true);
      return proxyOutcome(msgId, notice, Date.now());
    }
    if (envelope.type === 'notify')
      return encodeNotice(envelope.command, envelope.data, sip, this.state);
    if (envelope.type !== 'response') return undefined;
    const pending = this.pending.get(envelope.rid);
    if (!pending) {
      // A JSON-level error about a frame srf never sent as such (e.g. before a message id).
      return envelope.ok
        ? undefined
        : srfFrame(['response', envelope.rid, 'NO', envelope.error.message]);
    }
    this.pending.delete(envelope.rid);
    if (pending.kind === 'proxy' && envelope.ok) {
      // srf hears nothing until the outcome: its callback runs once, on `done`.
      this.proxying.set(pending.transactionId, envelope.rid);
      return undefined;
    }
    return envelope.ok
      ? encodeSuccess(envelope.rid, pending, envelope.data, sip, this.state)
      : encodeFailure(envelope.rid, pending, envelope.error.code, envelope.error.message);
  }

  private refuse(msgId: string, word: 'NO' | 'NOK', reason: string): void {
    this.send(srfFrame(['response', msgId, word, reason]));
  }

  private send(frame: Buffer): void {
    if (this.isOpen) this.socket.write(frame);
  }
}

function sipText(message: OutgoingMessage): string | undefined {
  return typeof message.sip === 'string' || message.sip === undefined
    ? message.sip
    : Buffer.from(message.sip).toString('utf8');
}

function isCdrType(verb: string): verb is CdrType {
  return (CDR_TYPES as readonly string[]).includes(verb);
}
