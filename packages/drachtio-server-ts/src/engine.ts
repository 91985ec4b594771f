/**
 * The SIP engine: transports below, the four transaction state machines, dialogs and the UA
 * core rules that need no application (100 Trying, CANCEL/487, ACK, PRACK, session timers).
 * The control plane drives it through SipEngine and hears from it through its events.
 *
 * Reading order: receive (requests, then responses), then the SipEngine commands (respond,
 * request, ack, cancel), then the dialog bookkeeping they share.
 */
import { EventEmitter } from 'node:events';
import { isIPv6 } from 'node:net';
import type { DialogNotice, Endpoint, RespondData, RespondResult, SendRequestData, SendRequestResult, AckData, CancelData, Transport } from 'drachtio-protocol';
import {
  parseMessage,
  parseNameAddr,
  parseRAck,
  parseSessionExpires,
  SipParseError,
  SipResponse,
  splitList,
  type SessionExpires,
  type SipRequest,
} from 'drachtio-sip';
import pino, { type Logger } from 'pino';
import { Dialog, dialogId } from './dialog/dialog';
import { HeaderError, hasOptionTag, headerList, type HeaderList } from './dialog/header-list';
import { reasonPhrase } from './dialog/reason-phrases';
import { checkRequest, type Rejection } from './dialog/request-checks';
import { Retransmitter } from './dialog/retransmitter';
import { answerSessionInterval, checkSessionInterval, DEFAULT_MIN_SE, SessionTimer, type SessionPlan } from './dialog/session-timer';
import { EngineError, type EngineEvents, type EngineResponse, type SipEngine } from './engine-api';
import { newBranch, newCallId, newTag, newTransactionId } from './transaction/identifiers';
import { InviteClientTransaction } from './transaction/invite-client-transaction';
import { InviteServerTransaction } from './transaction/invite-server-transaction';
import { clientKey, serverKey } from './transaction/matching';
import { essentials, type Essentials } from './transaction/message-essentials';
import { withTag, writeRequest, writeResponse, type RequestParts } from './transaction/message-writer';
import { NonInviteClientTransaction } from './transaction/non-invite-client-transaction';
import { NonInviteServerTransaction } from './transaction/non-invite-server-transaction';
import { DEFAULT_TIMER_SETTINGS, type TimerSettings } from './transaction/timer-settings';
import type { Channel } from './transaction/transaction';
import { hostport } from './transport/contact';
import { rejectMalformed } from './transport/malformed';
import { resolveTarget } from './transport/resolve';
import { TransportLayer } from './transport/transport-layer';
import type { Connection, Destination, InboundMessage } from './transport/transport';

export interface EngineOptions {
  /** Listening contacts, e.g. 'sip:127.0.0.1:0;transport=udp,tcp'. Default: sip:*:5060 (UDP and TCP). */
  contacts?: string[];
  /** RFC 3261 timers in ms (T1, T2, T4 and Timer C). */
  timers?: Partial<TimerSettings>;
  /** Timer C in ms (also accepted inside `timers`). */
  timerC?: number;
  /** Close TCP connections idle this long (ms). Default 60 s. */
  tcpIdleTimeout?: number;
  /** Inbound TCP connections accepted at once. Default 10000. */
  maxTcpConnections?: number;
  logger?: Logger;
  /** RFC 4028: the smallest session interval accepted, in seconds (default 90). */
  sessionTimers?: { minSE?: number };
  /** Bound on live transactions and on dialogs; beyond it new requests get 503. */
  maxTransactions?: number;
  maxDialogs?: number;
  /** How long stop() lets transactions finish (ms). Default 200. */
  drainTimeout?: number;
}

type ServerTransaction = InviteServerTransaction | NonInviteServerTransaction;

/** A request received from the network, while its server transaction lives. */
interface ServerContext {
  id: string;
  key: string;
  method: string;
  request: SipRequest;
  essentials: Essentials;
  inbound: InboundMessage;
  transaction: ServerTransaction;
  /** Our To tag for responses that create a dialog (the request's own tag inside a dialog). */
  localTag: string;
  vias: string[];
  dialog?: Dialog;
  mergeKey?: string;
  canceled: boolean;
}

/** A response as the client state machines carry it up: parsed, with where it came from. */
interface ReceivedResponse {
  status: number;
  message: SipResponse;
  inbound: InboundMessage;
}

type ClientTransaction = InviteClientTransaction<ReceivedResponse> | NonInviteClientTransaction<ReceivedResponse>;

/** A request we sent, while its client transaction lives. */
interface ClientContext {
  id: string;
  key: string;
  parts: RequestParts;
  destination: Destination;
  connection?: Connection;
  transaction?: ClientTransaction;
  /** Delivery to whoever sent it; engine-originated requests (PRACK, refresh, BYE) have none. */
  deliver?: (response: EngineResponse) => void;
  /** The dialog a request inside a dialog was sent in. */
  dialog?: Dialog;
  /** INVITE: early and confirmed dialogs it created, by remote tag (forking). */
  dialogs?: Map<string, Dialog>;
  offered100rel: boolean;
  hasBody: boolean;
  provisionalReceived: boolean;
  finalReceived: boolean;
  canceled: boolean;
  /** RFC 3261 9.1: a CANCEL asked for before any provisional waits for one. */
  deferredCancel?: Buffer;
  /** INVITE: the dialog of the first 2xx, which ack() acknowledges. */
  answered?: Dialog;
}

const DEFAULT_CONTACTS = ['sip:*:5060'];
const REFRESH_METHODS = new Set(['INVITE', 'UPDATE', 'SUBSCRIBE', 'NOTIFY', 'REFER']);

export class Engine extends EventEmitter implements SipEngine {
  private readonly logger: Logger;
  private readonly timers: TimerSettings;
  private readonly minSE: number;
  private readonly maxTransactions: number;
  private readonly maxDialogs: number;
  private readonly drainTimeout: number;
  private readonly transport: TransportLayer;
  private readonly servers = new Map<string, ServerContext>();
  private readonly serversByKey = new Map<string, ServerContext>();
  /** INVITEs without To tag by From tag + Call-ID + CSeq, to spot merged requests (RFC 3261 8.2.2.2). */
  private readonly invitesInProgress = new Map<string, ServerContext>();
  private readonly clients = new Map<string, ClientContext>();
  private readonly clientsByKey = new Map<string, ClientContext>();
  private readonly dialogs = new Map<string, Dialog>();
  private running = false;

  constructor(options: EngineOptions = {}) {
    super();
    this.logger = options.logger ?? pino({ level: 'silent' });
    this.timers = { ...DEFAULT_TIMER_SETTINGS, ...options.timers };
    if (options.timerC !== undefined) this.timers.timerC = options.timerC;
    this.minSE = options.sessionTimers?.minSE ?? DEFAULT_MIN_SE;
    this.maxTransactions = options.maxTransactions ?? 200_000;
    this.maxDialogs = options.maxDialogs ?? 100_000;
    this.drainTimeout = options.drainTimeout ?? 200;
    this.transport = new TransportLayer(options.contacts ?? DEFAULT_CONTACTS, {
      tcpIdleTimeout: options.tcpIdleTimeout ?? 60_000,
      maxTcpConnections: options.maxTcpConnections ?? 10_000,
      logger: this.logger,
      onMessage: (message) => this.receive(message),
    });
  }

  get contacts(): readonly string[] {
    return this.transport.contacts;
  }

  override on<E extends keyof EngineEvents>(event: E, listener: EngineEvents[E]): this {
    return super.on(event, listener);
  }

  override off<E extends keyof EngineEvents>(event: E, listener: EngineEvents[E]): this {
    return super.off(event, listener);
  }

  async start(): Promise<void> {
    await this.transport.start();
    this.running = true;
    this.logger.info({ contacts: this.contacts }, 'SIP engine listening');
  }

  async stop(): Promise<void> {
    this.running = false;
    const deadline = Date.now() + this.drainTimeout;
    while ((this.servers.size > 0 || this.clients.size > 0) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    for (const context of [...this.servers.values()]) context.transaction.terminate();
    for (const context of [...this.clients.values()]) context.transaction?.terminate();
    for (const dialog of this.dialogs.values()) dialog.close();
    this.dialogs.clear();
    this.invitesInProgress.clear();
    await this.transport.stop();
  }

  // ---------------------------------------------------------------------------------------------
  // Receiving
  // ---------------------------------------------------------------------------------------------

  private receive(inbound: InboundMessage): void {
    let message: SipRequest | SipResponse;
    try {
      message = parseMessage(inbound.data);
    } catch (error) {
      this.logger.info({ err: error, source: inbound.source }, 'unparseable SIP message');
      rejectMalformed(inbound, error instanceof SipParseError ? error.reason : 'unparseable message', (data) =>
        this.transport.send(data, inbound.source, inbound.connection),
      );
      return;
    }
    try {
      if (message instanceof SipResponse) this.receiveResponse(message, inbound);
      else this.receiveRequest(message, inbound);
    } catch (error) {
      // A message that parsed but breaks a rule further in (a malformed typed header, ...).
      this.logger.warn({ err: error, source: inbound.source }, 'SIP message rejected');
      if (!(message instanceof SipResponse) && message.method !== 'ACK') {
        const reason = error instanceof SipParseError ? error.reason : 'invalid message';
        rejectMalformed(inbound, reason, (data) => this.transport.send(data, inbound.source, inbound.connection));
      }
    }
  }

  private receiveRequest(request: SipRequest, inbound: InboundMessage): void {
    const fields = essentials(request);
    if (fields.cseq.method !== request.method) throw new SipParseError('cseq', 'CSeq method does not match the request method');
    const key = serverKey(fields, request.method);
    if (request.method === 'ACK') return this.receiveAck(fields, key, inbound);

    const existing = this.serversByKey.get(key);
    if (existing) return existing.transaction.receiveRetransmission();

    const context = this.createServerContext(request, fields, key, inbound);
    if (!this.running || this.servers.size > this.maxTransactions) {
      return this.rejectRequest(context, { status: 503, headers: ['Retry-After: 5'] });
    }
    if (request.method === 'CANCEL') return this.receiveCancel(context);

    const rejection = checkRequest(request) ?? this.checkSessionOffer(context);
    if (rejection) return this.rejectRequest(context, rejection);

    if (fields.toTag !== undefined) return this.receiveInDialog(context);

    if (request.method === 'INVITE') {
      const mergeKey = `${fields.callId}|${fields.fromTag ?? ''}|${fields.cseq.seq}`;
      if (this.invitesInProgress.has(mergeKey)) return this.rejectRequest(context, { status: 482, reason: 'Loop Detected' });
      if (this.dialogs.size >= this.maxDialogs) return this.rejectRequest(context, { status: 503, headers: ['Retry-After: 5'] });
      context.mergeKey = mergeKey;
      this.invitesInProgress.set(mergeKey, context);
    }
    this.emitRequest(context);
  }

  private receiveInDialog(context: ServerContext): void {
    const { essentials: fields, request } = context;
    const dialog = this.dialogs.get(dialogId(fields.callId, fields.toTag ?? '', fields.fromTag ?? ''));
    if (!dialog) return this.rejectRequest(context, { status: 481 });
    if (!dialog.acceptRemoteSeq(fields.cseq.seq)) {
      return this.rejectRequest(context, { status: 500, reason: 'Server Internal Error - CSeq out of order' });
    }
    context.dialog = dialog;
    switch (request.method) {
      case 'PRACK':
        return this.receivePrack(context, dialog);
      case 'BYE':
        this.emitRequest(context);
        this.endDialog(dialog, 'normal far end release');
        return;
      default:
        if (REFRESH_METHODS.has(request.method)) this.refreshTarget(dialog, request);
        this.emitRequest(context);
    }
  }

  /** RFC 3262: a PRACK stops its reliable provisional; the engine answers it itself. */
  private receivePrack(context: ServerContext, dialog: Dialog): void {
    let rseq: number | undefined;
    try {
      const rack = parseRAck(context.request.getHeader('rack') ?? '');
      rseq = rack.rseq;
    } catch {
      return this.rejectRequest(context, { status: 400, reason: 'Bad Request - missing or invalid RAck' });
    }
    const retransmitter = dialog.unacknowledgedProvisionals.get(rseq);
    if (!retransmitter) return this.rejectRequest(context, { status: 481 });
    retransmitter.stop();
    dialog.unacknowledgedProvisionals.delete(rseq);
    this.rejectRequest(context, { status: 200 });
    this.emitRequest(context, dialog.inviteTransactionId);
  }

  private receiveAck(fields: Essentials, key: string, inbound: InboundMessage): void {
    const invite = this.serversByKey.get(key);
    if (invite?.transaction instanceof InviteServerTransaction && invite.transaction.receiveAck()) return;
    if (fields.toTag === undefined || fields.fromTag === undefined) return;
    const dialog = this.dialogs.get(dialogId(fields.callId, fields.toTag, fields.fromTag));
    const awaited = dialog?.awaitedAck;
    if (!dialog || !awaited || awaited.cseq !== fields.cseq.seq) return; // a retransmitted or stray ACK
    awaited.retransmitter.stop();
    dialog.awaitedAck = undefined;
    const transactionId = newTransactionId();
    this.emit('request', {
      transactionId,
      method: 'ACK',
      callId: fields.callId,
      dialogId: dialog.id,
      inviteTransactionId: awaited.inviteTransactionId,
      raw: inbound.data.toString(),
      source: inbound.source,
      receivedAt: inbound.receivedAt,
    });
    // An ACK has no transaction of its own: whatever was keyed by its id can go at once.
    this.emit('transaction-end', transactionId);
  }

  /** RFC 3261 9.2: 200 to the CANCEL, 487 to the INVITE, then the application hears of it. */
  private receiveCancel(context: ServerContext): void {
    const invite = this.serversByKey.get(serverKey(context.essentials, 'INVITE'));
    if (!invite) return this.rejectRequest(context, { status: 481 });
    this.rejectRequest(context, { status: 200 });
    if (!invite.transaction.pending) return;
    invite.canceled = true;
    this.sendServerResponse(invite, 487, reasonPhrase(487), [], undefined);
    if (invite.dialog && invite.dialog.state === 'early') this.endDialog(invite.dialog, 'canceled');
    this.emit('cancel', { transactionId: invite.id, raw: context.inbound.data.toString(), source: context.inbound.source });
  }

  private receiveResponse(response: SipResponse, inbound: InboundMessage): void {
    const fields = essentials(response);
    const context = this.clientsByKey.get(clientKey(fields.topVia.branch ?? '', fields.cseq.method));
    if (context?.transaction) {
      context.transaction.receiveResponse({ status: response.status, message: response, inbound });
      return;
    }
    // A 2xx retransmitted after its transaction ended: ACK it again (RFC 3261 13.2.2.4).
    if (fields.cseq.method === 'INVITE' && response.status >= 200 && response.status < 300 && fields.toTag) {
      const dialog = this.dialogs.get(dialogId(fields.callId, fields.fromTag ?? '', fields.toTag));
      if (dialog?.lastAck?.cseq === fields.cseq.seq) this.sendToDialog(dialog, dialog.lastAck.data);
    }
  }

  /** Everything a client transaction passes up: provisional, final, retransmitted 2xx. */
  private handleResponse(context: ClientContext, response: SipResponse, inbound: InboundMessage | undefined): void {
    const fields = essentials(response);
    const status = response.status;
    let dialog = context.dialog;
    if (context.parts.method === 'INVITE') {
      if (status > 100 && status < 200 && !context.dialog && fields.toTag) {
        dialog = this.earlyUacDialog(context, response, fields);
        if (this.isReliableRetransmission(context, dialog, response)) return;
      } else if (status >= 200 && status < 300) {
        if (context.answered?.remoteTag === fields.toTag && context.answered) {
          // A retransmission: the ACK (ours or the application's) goes out again.
          if (context.answered.lastAck) this.sendToDialog(context.answered, context.answered.lastAck.data);
          return;
        }
        dialog = this.confirmUacDialog(context, response, fields);
        if (context.hasBody) this.sendAck(context, dialog, [], undefined);
      } else if (status >= 300) {
        const reason = context.canceled || status === 487 ? 'canceled' : 'call rejected';
        for (const early of context.dialogs?.values() ?? []) if (early.state === 'early') this.endDialog(early, reason);
      }
    }
    if (status >= 200 && status < 300 && dialog && (context.parts.method === 'INVITE' || context.parts.method === 'UPDATE')) {
      this.startSessionTimer(dialog, response.getHeader('session-expires'), true);
    }
    if (status < 200) {
      context.provisionalReceived = true;
      if (context.deferredCancel) this.startCancel(context, context.deferredCancel);
      context.deferredCancel = undefined;
    } else if (context.finalReceived) {
      // The application already has a final (a local 408 after Timer C): a late answer is ended at once.
      if (status < 300 && dialog && context.parts.method === 'INVITE' && !context.dialog) {
        void this.sendInternal(dialog, 'BYE', ['Reason: SIP;cause=408;text="Timer C"']);
        this.endDialog(dialog, 'call rejected');
      }
      return;
    }
    if (status >= 200) {
      context.finalReceived = true;
      context.deferredCancel = undefined;
    }
    context.deliver?.({
      transactionId: context.id,
      status,
      dialogId: dialog?.state === 'terminated' ? undefined : dialog?.id,
      raw: inbound ? inbound.data.toString() : response.toString(),
      source: inbound?.source ?? { ...context.destination },
      receivedAt: Date.now(),
    });
  }

  // ---------------------------------------------------------------------------------------------
  // SipEngine commands
  // ---------------------------------------------------------------------------------------------

  async respond(data: RespondData): Promise<RespondResult> {
    const context = this.servers.get(data.transactionId);
    if (!context) throw new EngineError('unknown-transaction', `no server transaction ${data.transactionId}`);
    if (!Number.isInteger(data.status) || data.status < 100 || data.status > 699) {
      throw new EngineError('invalid-argument', `invalid status ${data.status}`);
    }
    if (!context.transaction.pending) {
      const why = context.canceled ? 'the request was canceled' : 'a final response was already sent';
      throw new EngineError('invalid-state', `cannot respond to ${data.transactionId}: ${why}`);
    }
    if (data.reason !== undefined && /[\r\n]/.test(data.reason)) throw new EngineError('invalid-argument', 'reason contains a line break');
    const headers = this.applicationHeaders(data.headers, 'dialog');
    const { status } = data;
    const isInvite = context.method === 'INVITE';
    const createsDialog = isInvite && status > 100 && status < 300 && context.essentials.toTag === undefined;
    const lines = headers.lines;
    if (createsDialog || (status >= 200 && status < 300 && REFRESH_METHODS.has(context.method))) {
      if (!headers.values.has('contact')) lines.push(this.contactLine(context.inbound.source));
    }
    addContentType(headers, data.body);

    const dialog = createsDialog ? (context.dialog ?? this.createUasDialog(context)) : context.dialog;
    const reliable = isInvite && status > 100 && status < 200 && dialog !== undefined && hasOptionTag(headers.values.get('require'), '100rel');
    if (reliable && dialog) {
      dialog.localRSeq += 1;
      lines.push(`RSeq: ${dialog.localRSeq}`);
    }
    const sessionPlan = status >= 200 && status < 300 ? this.sessionAnswer(context, headers) : undefined;

    const wire = this.sendServerResponse(context, status, data.reason ?? reasonPhrase(status), lines, data.body);

    if (dialog && data.body && status < 300) dialog.localSdp = data.body;
    if (reliable && dialog) this.retransmitUntilPrack(context, dialog, wire);
    if (isInvite && dialog && status >= 200 && status < 300) {
      dialog.state = 'confirmed';
      this.retransmitUntilAck(context, dialog, wire);
    }
    if (dialog && sessionPlan) this.startSessionTimer(dialog, `${sessionPlan.interval};refresher=${sessionPlan.refresher}`, false);
    if (dialog && createsDialog && !dialog.announced) this.announce(dialog, 'early');
    if (dialog && isInvite && status >= 200 && status < 300 && createsDialog) this.announce(dialog, 'confirmed');
    if (dialog && isInvite && status >= 300 && dialog.state === 'early') this.endDialog(dialog, 'call rejected');
    return { dialogId: dialog && dialog.state !== 'terminated' ? dialog.id : undefined, raw: wire.toString() };
  }

  async request(data: SendRequestData, onResponse: (response: EngineResponse) => void): Promise<SendRequestResult> {
    const method = (data.method ?? '').toUpperCase();
    if (!/^[A-Z]+$/.test(method)) throw new EngineError('invalid-argument', `invalid method "${data.method}"`);
    if (method === 'ACK' || method === 'CANCEL') {
      throw new EngineError('invalid-argument', `${method} is sent with the ${method.toLowerCase()} command`);
    }
    if (!this.running) throw new EngineError('invalid-state', 'the SIP engine is stopped');
    if (this.clients.size > this.maxTransactions) throw new EngineError('send-failed', 'too many transactions in progress');
    if (data.dialogId !== undefined) {
      const dialog = this.dialogs.get(data.dialogId);
      if (!dialog) throw new EngineError('unknown-dialog', `no dialog ${data.dialogId}`);
      const headers = this.applicationHeaders(data.headers, 'dialog');
      addContentType(headers, data.body);
      const context = await this.sendInDialog(dialog, method, headers, data.body, onResponse);
      if (method === 'BYE') this.endDialog(dialog, 'normal near end release');
      return { transactionId: context.id, raw: context.wire };
    }
    if (!data.uri) throw new EngineError('invalid-argument', 'a request outside a dialog needs a uri');
    const headers = this.applicationHeaders(data.headers, 'new-request');
    addContentType(headers, data.body);
    const context = await this.sendNew(method, data.uri, headers, data.body, data.proxy, onResponse);
    return { transactionId: context.id, raw: context.wire };
  }

  async ack(data: AckData): Promise<{ raw: string }> {
    const context = this.clients.get(data.transactionId);
    if (!context || context.parts.method !== 'INVITE') throw new EngineError('unknown-transaction', `no INVITE client transaction ${data.transactionId}`);
    const dialog = context.answered;
    if (!dialog) throw new EngineError('invalid-state', 'no 2xx has been received for this INVITE');
    if (dialog.lastAck?.cseq === context.parts.cseq) return { raw: dialog.lastAck.data.toString() };
    const headers = this.applicationHeaders(data.headers, 'dialog');
    addContentType(headers, data.body);
    const wire = this.sendAck(context, dialog, headers.lines, data.body);
    if (data.body) dialog.localSdp = data.body;
    return { raw: wire.toString() };
  }

  async cancel(data: CancelData): Promise<{ raw: string }> {
    const context = this.clients.get(data.transactionId);
    if (!context || context.parts.method !== 'INVITE') throw new EngineError('unknown-transaction', `no INVITE client transaction ${data.transactionId}`);
    if (context.finalReceived) throw new EngineError('invalid-state', 'the INVITE already has a final response');
    const headers = this.applicationHeaders(data.headers, 'dialog');
    return { raw: this.sendCancel(context, headers.lines).toString() };
  }

  // ---------------------------------------------------------------------------------------------
  // Server side: transactions, responses, UAS dialogs
  // ---------------------------------------------------------------------------------------------

  private createServerContext(request: SipRequest, fields: Essentials, key: string, inbound: InboundMessage): ServerContext {
    const id = newTransactionId();
    const channel = this.responseChannel(fields, inbound);
    const onTerminated = () => this.serverEnded(context);
    const transaction =
      request.method === 'INVITE'
        ? new InviteServerTransaction(id, channel, this.timers, onTerminated)
        : new NonInviteServerTransaction(id, channel, this.timers, onTerminated);
    const context: ServerContext = {
      id,
      key,
      method: request.method,
      request,
      essentials: fields,
      inbound,
      transaction,
      localTag: fields.toTag ?? newTag(),
      vias: responseVias(fields, inbound.source),
      canceled: false,
    };
    this.servers.set(id, context);
    this.serversByKey.set(key, context);
    // RFC 3261 17.2.1: an INVITE gets 100 Trying at once, before any application is asked.
    if (request.method === 'INVITE') this.sendServerResponse(context, 100, 'Trying', [], undefined);
    return context;
  }

  private serverEnded(context: ServerContext): void {
    this.servers.delete(context.id);
    if (this.serversByKey.get(context.key) === context) this.serversByKey.delete(context.key);
    if (context.mergeKey && this.invitesInProgress.get(context.mergeKey) === context) this.invitesInProgress.delete(context.mergeKey);
    this.emit('transaction-end', context.id);
  }

  private emitRequest(context: ServerContext, inviteTransactionId?: string): void {
    const { inbound } = context;
    this.emit('request', {
      transactionId: context.id,
      method: context.method,
      callId: context.essentials.callId,
      dialogId: context.dialog?.id,
      inviteTransactionId,
      raw: inbound.data.toString(),
      source: inbound.source,
      receivedAt: inbound.receivedAt,
    });
  }

  private rejectRequest(context: ServerContext, rejection: Rejection): void {
    this.sendServerResponse(context, rejection.status, rejection.reason ?? reasonPhrase(rejection.status), rejection.headers ?? [], undefined);
  }

  private sendServerResponse(context: ServerContext, status: number, reason: string, lines: string[], body: string | undefined): Buffer {
    const fields = context.essentials;
    const tagged = status > 100 && fields.toTag === undefined;
    const recordRoutes = context.method === 'INVITE' && status > 100 && status < 300 ? context.request.getHeaders('record-route') : undefined;
    const wire = writeResponse({
      status,
      reason,
      vias: context.vias,
      from: fields.from,
      to: tagged ? withTag(fields.to, context.localTag) : fields.to,
      callId: fields.callId,
      cseq: `${fields.cseq.seq} ${fields.cseq.method}`,
      recordRoutes,
      headers: lines,
      body,
    });
    context.transaction.respond(status, wire);
    return wire;
  }

  private createUasDialog(context: ServerContext): Dialog {
    const { essentials: fields, request, inbound } = context;
    const dialog = new Dialog({
      role: 'uas',
      callId: fields.callId,
      localTag: context.localTag,
      remoteTag: fields.fromTag ?? '',
      localUri: withTag(fields.to, context.localTag),
      remoteUri: fields.from,
      remoteTarget: contactUri(request) ?? parseNameAddr(fields.from, 'from').uri,
      routeSet: request.getHeaders('record-route').flatMap(splitList),
      localSeq: Math.floor(Math.random() * 10000),
      remoteSeq: fields.cseq.seq,
      transport: inbound.source.transport,
      connection: inbound.connection,
      inviteTransactionId: context.id,
    });
    dialog.peerAllowsUpdate = hasOptionTag(request.getHeader('allow'), 'update');
    context.dialog = dialog;
    this.dialogs.set(dialog.id, dialog);
    return dialog;
  }

  /** RFC 3261 13.3.1.4: our 2xx goes out again until the ACK; without one, a BYE ends the call. */
  private retransmitUntilAck(context: ServerContext, dialog: Dialog, wire: Buffer): void {
    dialog.awaitedAck?.retransmitter.stop();
    const transaction = context.transaction as InviteServerTransaction;
    const retransmitter = new Retransmitter(
      () => transaction.resend(wire),
      this.timers,
      context.inbound.source.transport === 'tcp',
      this.timers.t2,
      () => {
        this.logger.info({ dialogId: dialog.id }, 'no ACK for our 2xx: ending the dialog');
        void this.sendInternal(dialog, 'BYE', ['Reason: SIP;cause=408;text="ACK Timeout"']);
        this.endDialog(dialog, 'ack timeout');
      },
    );
    dialog.awaitedAck = { cseq: context.essentials.cseq.seq, inviteTransactionId: context.id, retransmitter };
  }

  /** RFC 3262 3: a reliable provisional goes out again until its PRACK. */
  private retransmitUntilPrack(context: ServerContext, dialog: Dialog, wire: Buffer): void {
    const rseq = dialog.localRSeq;
    const transaction = context.transaction as InviteServerTransaction;
    const retransmitter = new Retransmitter(
      () => transaction.resend(wire),
      this.timers,
      context.inbound.source.transport === 'tcp',
      32 * this.timers.t1,
      () => {
        dialog.unacknowledgedProvisionals.delete(rseq);
        this.logger.info({ dialogId: dialog.id, rseq }, 'reliable provisional never PRACKed');
      },
    );
    dialog.unacknowledgedProvisionals.set(rseq, retransmitter);
  }

  private responseChannel(fields: Essentials, inbound: InboundMessage): Channel {
    const { source, connection } = inbound;
    const via = fields.topVia;
    // RFC 3581 / 3261 18.2.2: back to the source address; to the source port when rport asked for it.
    const destination: Destination =
      source.transport === 'tcp' || via.rport !== undefined
        ? source
        : { address: source.address, port: via.port ?? 5060, transport: source.transport };
    return {
      reliable: source.transport === 'tcp',
      send: (data) => this.transport.send(data, destination, connection, (error) => this.logger.info({ err: error, destination }, 'response not delivered')),
    };
  }

  // ---------------------------------------------------------------------------------------------
  // Client side: sending requests, ACK, CANCEL, UAC dialogs
  // ---------------------------------------------------------------------------------------------

  private async sendNew(
    method: string,
    uri: string,
    headers: HeaderList,
    body: string | undefined,
    proxy: string | undefined,
    deliver: (response: EngineResponse) => void,
  ): Promise<ClientContext & { wire: string }> {
    const route = headers.values.get('route');
    let destination: Destination;
    try {
      destination = await resolveTarget(proxy ?? (route ? splitList(route)[0] ?? uri : uri));
    } catch (error) {
      throw new EngineError('invalid-argument', `cannot send to ${proxy ?? uri}: ${(error as Error).message}`);
    }
    const local = this.localAddress(destination);
    const from = headers.values.get('from') ?? `<sip:drachtio@${hostport(local.host, local.port)}>`;
    const to = headers.values.get('to') ?? `<${uri}>`;
    const lines = headers.lines.filter((line) => !/^(from|f|to|t)\s*:/i.test(line));
    if (REFRESH_METHODS.has(method) && !headers.values.has('contact')) lines.push(this.contactLine(destination));
    const parts: RequestParts = {
      method,
      uri,
      via: '',
      from: parseNameAddr(from, 'from').tag === undefined ? withTag(from, newTag()) : from,
      to,
      callId: newCallId(local.host),
      cseq: 1,
      headers: lines,
      body,
    };
    const context = this.startClient(parts, destination, undefined, deliver);
    const supported = `${headers.values.get('supported') ?? ''},${headers.values.get('require') ?? ''}`;
    context.offered100rel = method === 'INVITE' && hasOptionTag(supported, '100rel');
    return context;
  }

  private async sendInDialog(
    dialog: Dialog,
    method: string,
    headers: HeaderList,
    body: string | undefined,
    deliver: ((response: EngineResponse) => void) | undefined,
  ): Promise<ClientContext & { wire: string }> {
    let destination: Destination;
    try {
      destination = await resolveTarget(dialog.nextHop, dialog.transport);
    } catch (error) {
      throw new EngineError('send-failed', `cannot reach ${dialog.nextHop}: ${(error as Error).message}`);
    }
    const lines = headers.lines;
    if (REFRESH_METHODS.has(method) && !headers.values.has('contact')) lines.push(this.contactLine(destination));
    if (method === 'INVITE' && body) dialog.localSdp = body;
    const parts: RequestParts = {
      method,
      uri: dialog.remoteTarget,
      via: '',
      from: dialog.localUri,
      to: dialog.remoteUri,
      callId: dialog.callId,
      cseq: dialog.nextLocalSeq(),
      routes: dialog.routeSet,
      headers: lines,
      body,
    };
    return this.startClient(parts, destination, dialog, deliver);
  }

  /** Engine-originated requests inside a dialog: BYE on timeouts, PRACK, session refreshes. */
  private async sendInternal(dialog: Dialog, method: string, lines: string[], body?: string): Promise<void> {
    try {
      const headers: HeaderList = { lines, values: new Map(), dropped: [] };
      addContentType(headers, body);
      await this.sendInDialog(dialog, method, headers, body, undefined);
    } catch (error) {
      this.logger.info({ err: error, dialogId: dialog.id, method }, 'could not send an in-dialog request');
    }
  }

  private startClient(
    parts: RequestParts,
    requested: Destination,
    dialog: Dialog | undefined,
    deliver: ((response: EngineResponse) => void) | undefined,
  ): ClientContext & { wire: string } {
    let destination = requested;
    const branch = newBranch();
    parts.via = this.viaFor(destination, branch);
    let wire = writeRequest(parts);
    // RFC 3261 18.1.1: a request within 200 bytes of the path MTU goes over a congestion-controlled transport.
    if (destination.transport === 'udp' && wire.length > 1300 && this.transport.supports('tcp', isIPv6(destination.address))) {
      destination = { ...destination, transport: 'tcp' };
      parts.via = this.viaFor(destination, branch);
      wire = writeRequest(parts);
    }
    const connection = dialog?.connection && !dialog.connection.closed && destination.transport === 'tcp' ? dialog.connection : undefined;
    const context: ClientContext & { wire: string } = {
      id: newTransactionId(),
      key: clientKey(branch, parts.method),
      parts,
      destination,
      connection,
      deliver,
      dialog,
      offered100rel: false,
      hasBody: Boolean(parts.body),
      provisionalReceived: false,
      finalReceived: false,
      canceled: false,
      wire: wire.toString(),
    };
    const channel: Channel = {
      reliable: destination.transport === 'tcp',
      send: (data) =>
        this.transport.send(data, destination, connection, (error) => {
          this.logger.info({ err: error, destination }, 'request not delivered');
          this.failClient(context, 503, 'Service Unavailable');
          context.transaction?.terminate();
        }),
    };
    this.clients.set(context.id, context);
    this.clientsByKey.set(context.key, context);
    const onTerminated = () => this.clientEnded(context);
    const onTimeout = (timer: string) => {
      if (timer === 'C' && context.provisionalReceived && !context.finalReceived) this.sendCancel(context, []);
      this.failClient(context, 408, 'Request Timeout');
    };
    const user = {
      onResponse: (response: ReceivedResponse) => this.handleResponse(context, response.message, response.inbound),
      onTimeout,
      buildAck: (response: ReceivedResponse) => this.ackForNon2xx(parts, response.message),
    };
    context.transaction =
      parts.method === 'INVITE'
        ? new InviteClientTransaction(context.id, wire, channel, this.timers, user, onTerminated)
        : new NonInviteClientTransaction(context.id, wire, channel, this.timers, user, onTerminated);
    return context;
  }

  private clientEnded(context: ClientContext): void {
    this.clients.delete(context.id);
    if (this.clientsByKey.get(context.key) === context) this.clientsByKey.delete(context.key);
    // Early dialogs of forks that never answered end with their INVITE.
    for (const dialog of context.dialogs?.values() ?? []) if (dialog.state === 'early') this.endDialog(dialog, 'call rejected');
    if (context.deliver) this.emit('transaction-end', context.id);
  }

  /** A locally generated final response (timeout, transport failure), as the wire contract asks. */
  private failClient(context: ClientContext, status: number, reason: string): void {
    if (context.finalReceived || context.transaction?.terminated) return;
    const { parts } = context;
    const text = writeResponse({
      status,
      reason,
      vias: [parts.via],
      from: parts.from,
      to: parts.to,
      callId: parts.callId,
      cseq: `${parts.cseq} ${parts.method}`,
    });
    this.handleResponse(context, parseMessage(text) as SipResponse, undefined);
  }

  /** RFC 3261 17.1.1.3: the ACK for a non-2xx final belongs to the INVITE transaction. */
  private ackForNon2xx(parts: RequestParts, response: SipResponse): Buffer {
    return writeRequest({
      method: 'ACK',
      uri: parts.uri,
      via: parts.via,
      from: parts.from,
      to: response.getHeader('to') ?? parts.to,
      callId: parts.callId,
      cseq: parts.cseq,
      routes: parts.routes,
    });
  }

  /** ACK for a 2xx: a request of its own, sent in the dialog (RFC 3261 13.2.2.4). */
  private sendAck(context: ClientContext, dialog: Dialog, lines: readonly string[], body: string | undefined): Buffer {
    const wire = writeRequest({
      method: 'ACK',
      uri: dialog.remoteTarget,
      via: this.viaFor(context.destination, newBranch()),
      from: dialog.localUri,
      to: dialog.remoteUri,
      callId: dialog.callId,
      cseq: context.parts.cseq,
      routes: dialog.routeSet,
      headers: lines,
      body,
    });
    dialog.lastAck = { cseq: context.parts.cseq, data: wire };
    this.sendToDialog(dialog, wire);
    return wire;
  }

  /** RFC 3261 9.1: same branch, Request-URI, Call-ID, From, To and CSeq number as the INVITE. */
  private sendCancel(context: ClientContext, lines: readonly string[]): Buffer {
    context.canceled = true;
    const wire = writeRequest({ ...context.parts, method: 'CANCEL', headers: lines, body: undefined });
    if (context.provisionalReceived) this.startCancel(context, wire);
    else context.deferredCancel = wire;
    return wire;
  }

  private startCancel(context: ClientContext, wire: Buffer): void {
    const { parts } = context;
    const cancel: RequestParts = { ...parts, method: 'CANCEL', body: undefined };
    const branch = /branch=([^;\s]+)/i.exec(parts.via)?.[1] ?? '';
    const cancelContext: ClientContext = { ...context, id: newTransactionId(), key: clientKey(branch, 'CANCEL'), parts: cancel, deliver: undefined, dialogs: undefined };
    const channel: Channel = {
      reliable: context.destination.transport === 'tcp',
      send: (data) => this.transport.send(data, context.destination, context.connection),
    };
    this.clients.set(cancelContext.id, cancelContext);
    this.clientsByKey.set(cancelContext.key, cancelContext);
    cancelContext.transaction = new NonInviteClientTransaction<ReceivedResponse>(
      cancelContext.id,
      wire,
      channel,
      this.timers,
      { onResponse: () => undefined, onTimeout: () => undefined },
      () => this.clientEnded(cancelContext),
    );
  }

  private sendToDialog(dialog: Dialog, wire: Buffer): void {
    void resolveTarget(dialog.nextHop, dialog.transport).then(
      (destination) => this.transport.send(wire, destination, dialog.connection),
      (error) => this.logger.info({ err: error, dialogId: dialog.id }, 'cannot reach the dialog peer'),
    );
  }

  private earlyUacDialog(context: ClientContext, response: SipResponse, fields: Essentials): Dialog {
    const dialogs = (context.dialogs ??= new Map());
    let dialog = dialogs.get(fields.toTag ?? '');
    if (!dialog) {
      dialog = this.createUacDialog(context, response, fields);
      dialogs.set(dialog.remoteTag, dialog);
      this.announce(dialog, 'early');
    }
    return dialog;
  }

  private confirmUacDialog(context: ClientContext, response: SipResponse, fields: Essentials): Dialog {
    let dialog = context.dialog ?? context.dialogs?.get(fields.toTag ?? '');
    if (!dialog) {
      dialog = this.createUacDialog(context, response, fields);
      (context.dialogs ??= new Map()).set(dialog.remoteTag, dialog);
    } else {
      dialog.remoteTarget = contactUri(response) ?? dialog.remoteTarget;
    }
    if (!context.dialog) {
      // RFC 3261 12.1.2: the route set is fixed by the 2xx, not by provisional responses.
      dialog.routeSet = response.getHeaders('record-route').flatMap(splitList).reverse();
    }
    dialog.peerAllowsUpdate = hasOptionTag(response.getHeader('allow'), 'update');
    context.answered = dialog;
    if (dialog.state !== 'confirmed') {
      dialog.state = 'confirmed';
      this.announce(dialog, 'confirmed');
    }
    return dialog;
  }

  private createUacDialog(context: ClientContext, response: SipResponse, fields: Essentials): Dialog {
    const { parts } = context;
    const dialog = new Dialog({
      role: 'uac',
      callId: parts.callId,
      localTag: fields.fromTag ?? '',
      remoteTag: fields.toTag ?? '',
      localUri: parts.from,
      remoteUri: fields.to,
      remoteTarget: contactUri(response) ?? parts.uri,
      routeSet: response.getHeaders('record-route').flatMap(splitList).reverse(),
      localSeq: parts.cseq,
      transport: context.destination.transport,
      connection: context.connection,
      inviteTransactionId: context.id,
    });
    dialog.localSdp = parts.body;
    this.dialogs.set(dialog.id, dialog);
    return dialog;
  }

  /** RFC 3262 4: PRACK a reliable provisional once; true when it is a retransmission to drop. */
  private isReliableRetransmission(context: ClientContext, dialog: Dialog, response: SipResponse): boolean {
    if (!hasOptionTag(response.getHeader('require'), '100rel')) return false;
    const rseq = Number(response.getHeader('rseq'));
    if (!Number.isInteger(rseq) || rseq <= 0) return false;
    if (dialog.remoteRSeq !== undefined && rseq <= dialog.remoteRSeq) return true;
    dialog.remoteRSeq = rseq;
    if (context.offered100rel) void this.sendInternal(dialog, 'PRACK', [`RAck: ${rseq} ${context.parts.cseq} INVITE`]);
    return false;
  }

  // ---------------------------------------------------------------------------------------------
  // Dialog bookkeeping, session timers, helpers
  // ---------------------------------------------------------------------------------------------

  private announce(dialog: Dialog, event: 'early' | 'confirmed'): void {
    dialog.announced = true;
    const notice: DialogNotice = { dialogId: dialog.id, event, role: dialog.role, callId: dialog.callId };
    this.emit('dialog', notice);
  }

  private endDialog(dialog: Dialog, reason: string): void {
    if (dialog.state === 'terminated' && !this.dialogs.has(dialog.id)) return;
    dialog.close();
    this.dialogs.delete(dialog.id);
    if (dialog.announced) {
      const notice: DialogNotice = { dialogId: dialog.id, event: 'terminated', role: dialog.role, callId: dialog.callId, reason };
      this.emit('dialog', notice);
    }
  }

  private refreshTarget(dialog: Dialog, request: SipRequest): void {
    dialog.remoteTarget = contactUri(request) ?? dialog.remoteTarget;
  }

  /** RFC 4028 on an incoming INVITE or UPDATE: 422 for an interval under our Min-SE. */
  private checkSessionOffer(context: ServerContext): Rejection | undefined {
    if (context.method !== 'INVITE' && context.method !== 'UPDATE') return undefined;
    return checkSessionInterval(sessionExpires(context.request.getHeader('session-expires')), { minSE: this.minSE });
  }

  /** The Session-Expires our 2xx carries: the application's, else our answer to the offer. */
  private sessionAnswer(context: ServerContext, headers: HeaderList): SessionPlan | undefined {
    if (context.method !== 'INVITE' && context.method !== 'UPDATE') return undefined;
    const own = sessionExpires(headers.values.get('session-expires'));
    if (own) return { interval: own.delta, refresher: own.refresher ?? 'uas' };
    const offered = sessionExpires(context.request.getHeader('session-expires'));
    if (!offered) return undefined;
    const uacSupportsTimer = hasOptionTag(context.request.getHeader('supported'), 'timer');
    const plan = answerSessionInterval(offered, uacSupportsTimer);
    headers.lines.push(`Session-Expires: ${plan.interval};refresher=${plan.refresher}`);
    if (uacSupportsTimer && !hasOptionTag(headers.values.get('require'), 'timer')) headers.lines.push('Require: timer');
    return plan;
  }

  /** Starts (or restarts after a refresh) the dialog's session timer from a Session-Expires value. */
  private startSessionTimer(dialog: Dialog, value: string | undefined, weSentRequest: boolean): void {
    const se = sessionExpires(value);
    if (!se) return;
    const plan: SessionPlan = { interval: se.delta, refresher: se.refresher ?? 'uac' };
    const timer = (dialog.sessionTimer ??= new SessionTimer(
      (current) => this.refreshSession(dialog, current),
      () => {
        this.logger.info({ dialogId: dialog.id }, 'session expired');
        void this.sendInternal(dialog, 'BYE', ['Reason: SIP;cause=408;text="Session Timer Expired"']);
        this.endDialog(dialog, 'session expired');
      },
    ));
    timer.start(plan, (plan.refresher === 'uac') === weSentRequest);
  }

  /** RFC 4028 7.4: we refresh with UPDATE when the peer allows it, else a re-INVITE with our SDP. */
  private refreshSession(dialog: Dialog, plan: SessionPlan): void {
    const lines = [`Session-Expires: ${plan.interval};refresher=uac`, 'Supported: timer'];
    if (dialog.peerAllowsUpdate || !dialog.localSdp) void this.sendInternal(dialog, 'UPDATE', lines);
    else void this.sendInternal(dialog, 'INVITE', lines, dialog.localSdp);
  }

  private applicationHeaders(headers: RespondData['headers'], context: 'new-request' | 'dialog'): HeaderList {
    let list: HeaderList;
    try {
      list = headerList(headers, context);
    } catch (error) {
      if (error instanceof HeaderError) throw new EngineError('invalid-argument', error.message);
      throw error;
    }
    if (list.dropped.length > 0) this.logger.warn({ headers: list.dropped }, 'protected headers set by the application were dropped');
    return list;
  }

  private localAddress(destination: Destination): { host: string; port: number; transport: Transport } {
    const local = this.transport.local(destination.transport, isIPv6(destination.address));
    if (!local) throw new EngineError('send-failed', `no ${destination.transport} transport for ${destination.address}`);
    return local;
  }

  private viaFor(destination: Destination, branch: string): string {
    const local = this.localAddress(destination);
    return `SIP/2.0/${destination.transport.toUpperCase()} ${hostport(local.host, local.port)};rport;branch=${branch}`;
  }

  private contactLine(peer: Endpoint | Destination): string {
    const local = this.localAddress(peer);
    const transport = peer.transport === 'udp' ? '' : `;transport=${peer.transport}`;
    return `Contact: <sip:${hostport(local.host, local.port)}${transport}>`;
  }
}

/** RFC 3581: the top Via of a response carries received and the filled-in rport. */
function responseVias(fields: Essentials, source: Endpoint): string[] {
  let top = fields.topViaText;
  const host = fields.topVia.host.replace(/^\[|\]$/g, '');
  if (fields.topVia.rport === true) top = top.replace(/;\s*rport(?!\s*=)/i, `;rport=${source.port}`);
  if (host !== source.address && fields.topVia.received === undefined) top += `;received=${source.address}`;
  const [first = '', ...others] = fields.viaLines;
  const rest = splitList(first).slice(1);
  return [top, ...rest, ...others];
}

function contactUri(message: SipRequest | SipResponse): string | undefined {
  const contact = message.getHeaders('contact')[0];
  if (!contact) return undefined;
  try {
    return parseNameAddr(splitList(contact)[0] ?? contact, 'contact').uri;
  } catch {
    return undefined;
  }
}

function sessionExpires(value: string | undefined): SessionExpires | undefined {
  if (value === undefined) return undefined;
  try {
    return parseSessionExpires(value);
  } catch {
    return undefined;
  }
}

/** An SDP body without a Content-Type gets application/sdp (the common case for INVITE). */
function addContentType(headers: HeaderList, body: string | undefined): void {
  if (body && !headers.values.has('content-type') && body.startsWith('v=0')) {
    headers.lines.push('Content-Type: application/sdp');
    headers.values.set('content-type', 'application/sdp');
  }
}
