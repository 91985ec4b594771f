/**
 * The UAC half of the UA core: requests sent for the application (and the engine's own: PRACK,
 * session refreshes, BYE on timeouts), their client transactions, the ACK for a 2xx (by the
 * engine when the INVITE had a body, RFC 3261 13.2.2.4; otherwise by the application), CANCEL
 * (RFC 3261 9.1), PRACK for reliable provisionals (RFC 3262 4) and the UAC side of dialogs.
 */
import type { AckData, CancelData, SendRequestData, SendRequestResult } from 'drachtio-protocol';
import {
  headerKey,
  parseCSeq,
  parseMessage,
  parseNameAddr,
  splitList,
  type CSeq,
  type SipRequest,
  type SipResponse,
} from 'drachtio-sip';
import { EngineError, type EngineResponse } from '../engine-api';
import { newBranch, newCallId, newTag, newTransactionId } from '../transaction/identifiers';
import { InviteClientTransaction } from '../transaction/invite-client-transaction';
import { clientKey } from '../transaction/matching';
import { essentials, type Essentials } from '../transaction/message-essentials';
import {
  withTag,
  writeRequest,
  writeResponse,
  type RequestParts,
} from '../transaction/message-writer';
import { NonInviteClientTransaction } from '../transaction/non-invite-client-transaction';
import { transactionTimeout } from '../transaction/timer-settings';
import type { Channel, Transaction } from '../transaction/transaction';
import { resolveTarget } from '../transport/resolve';
import { isIPv6Address } from '../transport/transport-layer';
import { hostport } from '../transport/contact';
import type { Connection, Destination, InboundMessage, LocalAddress } from '../transport/transport';
import { ChallengedRequests } from './challenged-requests';
import type { Dialog } from './dialog';
import { notifiedDialog, uacDialog, uacRouteSet } from './dialog-factory';
import { isTerminated, keepSubscription, subscriptionSeconds } from './subscriptions';
import { hasOptionTag, type HeaderList } from './header-list';
import { SessionTimers } from './session-timers';
import {
  addContentType,
  applicationHeaders,
  contactUri,
  TARGET_REFRESH_METHODS,
  type UserAgentCore,
} from './user-agent-core';

/** A response as the client state machines carry it up: parsed, with where it came from. */
interface ReceivedResponse {
  status: number;
  message: SipResponse;
  /** Undefined for a response generated here (408 on timeout, 503 when unreachable). */
  inbound: InboundMessage | undefined;
}

type ClientTransaction =
  InviteClientTransaction<ReceivedResponse> | NonInviteClientTransaction<ReceivedResponse>;

/** A request we sent, while its client transaction lives. */
interface ClientContext {
  id: string;
  key: string;
  parts: RequestParts;
  /** The request as it went out. */
  wire: Buffer;
  destination: Destination;
  connection?: Connection;
  transaction?: ClientTransaction;
  /** Delivery to the application; engine-originated requests have none. */
  deliver?: (response: EngineResponse) => void;
  /** The dialog a request inside a dialog was sent in. */
  dialog?: Dialog;
  /** INVITE: early and confirmed dialogs it created, by remote tag (forking). */
  dialogs?: Map<string, Dialog>;
  offered100rel: boolean;
  provisionalReceived: boolean;
  finalReceived: boolean;
  canceled: boolean;
  /** RFC 3261 9.1: a CANCEL asked for before any provisional waits for one. */
  deferredCancel?: Buffer;
  /** INVITE: the dialog of the first 2xx, which ack() acknowledges. */
  answered?: Dialog;
  /** INVITE: already retried after a 422 (RFC 4028), which happens once. */
  retried?: boolean;
}

export class UserAgentClient {
  readonly sessions: SessionTimers;
  private readonly clients = new Map<string, ClientContext>();
  private readonly clientsByKey = new Map<string, ClientContext>();
  /** SUBSCRIBEs sent outside a dialog, by Call-ID and From tag, for a NOTIFY that beats their 2xx. */
  private readonly subscribing = new Map<string, ClientContext>();
  /** Requests answered 401/407, for a retry with credentials (`retryOf`). */
  private readonly challenged: ChallengedRequests<ClientContext>;

  constructor(private readonly core: UserAgentCore) {
    this.challenged = new ChallengedRequests(
      transactionTimeout(core.timers),
      core.limits.maxTransactions,
      (id) => this.challengeForgotten(id),
    );
    this.sessions = new SessionTimers(
      {
        logger: core.logger,
        sendInDialog: (dialog, method, lines, body) =>
          void this.sendInternal(dialog, method, lines, body),
        endDialog: (dialog, reason) => core.dialogs.end(dialog, reason),
      },
      core.limits.minSE,
    );
  }

  get size(): number {
    return this.clients.size;
  }

  async request(
    data: SendRequestData,
    onResponse: (response: EngineResponse) => void,
  ): Promise<SendRequestResult> {
    const method = (data.method ?? '').toUpperCase();
    if (!/^[A-Z]+$/.test(method))
      throw new EngineError('invalid-argument', `invalid method "${data.method}"`);
    if (method === 'ACK' || method === 'CANCEL') {
      throw new EngineError(
        'invalid-argument',
        `${method} is sent with the ${method.toLowerCase()} command`,
      );
    }
    if (!this.core.running()) throw new EngineError('invalid-state', 'the SIP engine is stopped');
    if (this.clients.size >= this.core.limits.maxTransactions)
      throw new EngineError('send-failed', 'too many transactions in progress');
    if (data.retryOf !== undefined) return this.retry(data.retryOf, method, data, onResponse);

    if (data.dialogId !== undefined) {
      const dialog = this.core.dialogs.get(data.dialogId);
      if (!dialog) throw new EngineError('unknown-dialog', `no dialog ${data.dialogId}`);
      const headers = applicationHeaders(this.core.logger, data.headers, 'dialog');
      addContentType(headers, data.body);
      const context = await this.sendInDialog(dialog, method, headers, data.body, onResponse);
      if (method === 'BYE') this.core.dialogs.end(dialog, 'normal near end release');
      const subscriptionState = headers.values.get('subscription-state');
      if (
        method === 'NOTIFY' &&
        dialog.usage === 'subscription' &&
        isTerminated(subscriptionState)
      ) {
        this.core.dialogs.end(dialog, 'subscription terminated');
      }
      return { transactionId: context.id, callId: context.parts.callId, raw: context.wire.toString() };
    }
    if (!data.uri)
      throw new EngineError('invalid-argument', 'a request outside a dialog needs a uri');
    const headers = applicationHeaders(this.core.logger, data.headers, 'new-request');
    addContentType(headers, data.body);
    const context = await this.sendNew(
      method,
      data.uri,
      headers,
      data.body,
      data.proxy,
      onResponse,
    );
    return { transactionId: context.id, callId: context.parts.callId, raw: context.wire.toString() };
  }

  async ack(data: AckData): Promise<{ raw: string }> {
    const context = this.inviteContext(data.transactionId);
    const dialog = context.answered;
    if (!dialog) throw new EngineError('invalid-state', 'no 2xx has been received for this INVITE');
    if (dialog.lastAck?.cseq === context.parts.cseq) return { raw: dialog.lastAck.data.toString() };
    const headers = applicationHeaders(this.core.logger, data.headers, 'dialog');
    addContentType(headers, data.body);
    const wire = this.sendAck(context, dialog, headers.lines, data.body);
    if (data.body) dialog.localSdp = data.body;
    return { raw: wire.toString() };
  }

  async cancel(data: CancelData): Promise<{ raw: string }> {
    const context = this.inviteContext(data.transactionId);
    if (context.finalReceived)
      throw new EngineError('invalid-state', 'the INVITE already has a final response');
    const headers = applicationHeaders(this.core.logger, data.headers, 'dialog');
    return { raw: this.sendCancel(context, headers.lines).toString() };
  }

  receiveResponse(response: SipResponse, inbound: InboundMessage): void {
    const fields = essentials(response);
    const context = this.clientsByKey.get(
      clientKey(fields.topVia.branch ?? '', fields.cseq.method),
    );
    if (context?.transaction) {
      context.transaction.receiveResponse({ status: response.status, message: response, inbound });
      return;
    }
    // A 2xx retransmitted after its transaction ended: ACK it again (RFC 3261 13.2.2.4).
    if (
      fields.cseq.method === 'INVITE' &&
      response.status >= 200 &&
      response.status < 300 &&
      fields.toTag
    ) {
      const dialog = this.core.dialogs.find(fields.callId, fields.fromTag, fields.toTag);
      if (dialog?.lastAck?.cseq === fields.cseq.seq) this.sendToDialog(dialog, dialog.lastAck.data);
    }
  }

  /** Engine-originated requests inside a dialog: BYE on timeouts, PRACK, session refreshes. */
  async sendInternal(
    dialog: Dialog,
    method: string,
    lines: string[],
    body?: string,
  ): Promise<void> {
    try {
      const headers: HeaderList = { lines, values: new Map(), dropped: [] };
      addContentType(headers, body);
      await this.sendInDialog(dialog, method, headers, body, undefined);
    } catch (error) {
      this.core.logger.info(
        { err: error, dialogId: dialog.id, method },
        'could not send an in-dialog request',
      );
    }
  }

  /** Engine shutdown: every client transaction ends now. */
  stop(): void {
    for (const context of [...this.clients.values()]) context.transaction?.terminate();
    this.challenged.clear();
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * RFC 3261 22.2: the challenged request again, from what was sent, with the application's
   * credentials in place of any earlier ones; CSeq one higher, new branch, new transaction.
   */
  private async retry(
    transactionId: string,
    method: string,
    data: SendRequestData,
    onResponse: (response: EngineResponse) => void,
  ): Promise<SendRequestResult> {
    const challenged = this.challenged.get(transactionId);
    if (!challenged) {
      if (this.clients.has(transactionId))
        throw new EngineError(
          'invalid-state',
          `${transactionId} has no challenge to answer: no 401/407, or already retried`,
        );
      throw new EngineError('unknown-transaction', `no challenged request ${transactionId}`);
    }
    const { parts, dialog } = challenged;
    if (method !== parts.method) {
      throw new EngineError(
        'invalid-argument',
        `retryOf ${transactionId} re-sends a ${parts.method}, not a ${method}`,
      );
    }
    this.challenged.take(transactionId);
    this.challengeForgotten(transactionId);
    const credentials = applicationHeaders(this.core.logger, data.headers, 'dialog');
    if (dialog && method === 'INVITE') this.lockReinvite(dialog, parts.body);
    const retried: RequestParts = {
      ...parts,
      cseq: dialog ? dialog.nextLocalSeq() : parts.cseq + 1,
      headers: [...(parts.headers ?? []).filter((line) => !isCredentials(line)), ...credentials.lines],
    };
    const context = this.startClient(
      retried,
      challenged.destination,
      dialog,
      onResponse,
      challenged.offered100rel,
    );
    if (method === 'SUBSCRIBE' && !dialog)
      this.subscribing.set(subscriptionKey(retried.callId, retried.from), context);
    return { transactionId: context.id, callId: retried.callId, raw: context.wire.toString() };
  }

  /** A challenged request left the memory: once its transaction is over too, its id is free. */
  private challengeForgotten(transactionId: string): void {
    if (!this.clients.has(transactionId)) this.core.emit('transaction-end', transactionId);
  }

  /** RFC 3261 14.1: one re-INVITE of ours at a time in a dialog. */
  private lockReinvite(dialog: Dialog, body: string | undefined): void {
    if (dialog.reinvite) {
      throw new EngineError(
        'invalid-state',
        'a re-INVITE is already in progress in this dialog (RFC 3261 14.1)',
      );
    }
    dialog.reinvite = 'uac';
    if (body) dialog.localSdp = body;
  }

  private inviteContext(transactionId: string): ClientContext {
    const context = this.clients.get(transactionId);
    if (!context || context.parts.method !== 'INVITE') {
      throw new EngineError('unknown-transaction', `no INVITE client transaction ${transactionId}`);
    }
    return context;
  }

  private async sendNew(
    method: string,
    uri: string,
    headers: HeaderList,
    body: string | undefined,
    proxy: string | undefined,
    deliver: (response: EngineResponse) => void,
  ): Promise<ClientContext> {
    // Checked first: a malformed value is the application's mistake whatever the target.
    const { identity, others: lines } = separateIdentity(headers.lines);
    const callId = chosenCallId(identity.get('call-id') ?? []);
    const cseq = chosenCSeq(identity.get('cseq') ?? [], method);
    const route = headers.values.get('route');
    const target = proxy ?? (route ? (splitList(route)[0] ?? uri) : uri);
    let destination: Destination;
    let local: LocalAddress;
    try {
      destination = await resolveTarget(target);
      local = this.core.transport.localFor(destination);
    } catch (error) {
      throw new EngineError(
        'invalid-argument',
        `cannot send to ${target}: ${(error as Error).message}`,
      );
    }
    const from = headers.values.get('from') ?? `<sip:drachtio@${hostport(local.host, local.port)}>`;
    if (TARGET_REFRESH_METHODS.has(method) && !headers.values.has('contact'))
      lines.push(this.core.transport.contactFor(destination));
    const parts: RequestParts = {
      method,
      uri,
      via: '',
      from: parseNameAddr(from, 'from').tag === undefined ? withTag(from, newTag()) : from,
      to: headers.values.get('to') ?? `<${uri}>`,
      callId: callId ?? newCallId(local.host),
      cseq: cseq ?? 1,
      headers: lines,
      body,
    };
    const offered = `${headers.values.get('supported') ?? ''},${headers.values.get('require') ?? ''}`;
    const context = this.startClient(
      parts,
      destination,
      undefined,
      deliver,
      method === 'INVITE' && hasOptionTag(offered, '100rel'),
    );
    if (method === 'SUBSCRIBE')
      this.subscribing.set(subscriptionKey(parts.callId, parts.from), context);
    return context;
  }

  /**
   * RFC 6665 4.1.2.4: a NOTIFY for one of our SUBSCRIBEs that arrives before its 2xx creates
   * the subscription dialog. Returns undefined when it belongs to no SUBSCRIBE of ours.
   */
  adoptNotify(notify: SipRequest, fields: Essentials, inbound: InboundMessage): Dialog | undefined {
    const key = `${fields.callId}|${fields.toTag ?? ''}`;
    const context = this.subscribing.get(key);
    if (!context || fields.fromTag === undefined) return undefined;
    this.subscribing.delete(key);
    const via = { transport: inbound.source.transport, connection: inbound.connection };
    const dialog = notifiedDialog(context.parts, notify, fields, via, context.id);
    this.core.dialogs.add(dialog);
    this.keepSubscription(dialog, context, notify.getHeader('subscription-state'));
    context.answered = dialog;
    return dialog;
  }

  private async sendInDialog(
    dialog: Dialog,
    method: string,
    headers: HeaderList,
    body: string | undefined,
    deliver: ((response: EngineResponse) => void) | undefined,
  ): Promise<ClientContext> {
    let destination: Destination;
    try {
      destination = await resolveTarget(dialog.nextHop, dialog.transport);
    } catch (error) {
      throw new EngineError(
        'send-failed',
        `cannot reach ${dialog.nextHop}: ${(error as Error).message}`,
      );
    }
    if (method === 'INVITE') this.lockReinvite(dialog, body);
    const lines = headers.lines;
    if (TARGET_REFRESH_METHODS.has(method) && !headers.values.has('contact'))
      lines.push(this.core.transport.contactFor(destination));
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
    try {
      return this.startClient(parts, destination, dialog, deliver, false);
    } catch (error) {
      if (method === 'INVITE') dialog.reinvite = undefined;
      throw error;
    }
  }

  private startClient(
    parts: RequestParts,
    requested: Destination,
    dialog: Dialog | undefined,
    deliver: ((response: EngineResponse) => void) | undefined,
    offered100rel: boolean,
  ): ClientContext {
    const { transport } = this.core;
    let destination = requested;
    const branch = newBranch();
    parts.via = transport.viaFor(destination, branch);
    let wire = writeRequest(parts);
    // RFC 3261 18.1.1: a request within 200 bytes of the path MTU goes over a congestion-controlled transport.
    if (
      destination.transport === 'udp' &&
      wire.length > 1300 &&
      transport.supports('tcp', isIPv6Address(destination.address))
    ) {
      destination = { ...destination, transport: 'tcp' };
      parts.via = transport.viaFor(destination, branch);
      wire = writeRequest(parts);
    }
    const connection =
      dialog?.connection && !dialog.connection.closed && destination.transport === 'tcp'
        ? dialog.connection
        : undefined;
    const context: ClientContext = {
      id: newTransactionId(),
      key: clientKey(branch, parts.method),
      parts,
      wire,
      destination,
      connection,
      deliver,
      dialog,
      offered100rel,
      provisionalReceived: false,
      finalReceived: false,
      canceled: false,
    };
    this.track(context);
    this.launch(context);
    return context;
  }

  /** Starts the client transaction that carries `context.parts` (again, for a 422 retry). */
  private launch(context: ClientContext): void {
    const { parts, wire } = context;
    const user = {
      onResponse: (response: ReceivedResponse) =>
        this.handleResponse(context, response.message, response.inbound),
      onTimeout: (timer: string) => {
        if (timer === 'C' && context.provisionalReceived && !context.finalReceived)
          this.sendCancel(context, []);
        this.failClient(context, 408, 'Request Timeout');
      },
      buildAck: (response: ReceivedResponse) => this.ackForNon2xx(parts, response.message),
    };
    const channel = this.channel(context);
    const { timers } = this.core;
    const onTerminated = (transaction: Transaction) => this.clientEnded(context, transaction);
    context.transaction =
      parts.method === 'INVITE'
        ? new InviteClientTransaction(context.id, wire, channel, timers, user, onTerminated)
        : new NonInviteClientTransaction(context.id, wire, channel, timers, user, onTerminated);
  }

  /**
   * RFC 4028 7.4: a 422 to our INVITE is retried at once with the Min-SE it asks for (once), in
   * the same client context, so the application only sees the outcome of the retry.
   */
  private retryWithLongerSession(context: ClientContext, response: SipResponse): boolean {
    const minSE = Number(/^\s*(\d+)/.exec(response.getHeader('min-se') ?? '')?.[1]);
    if (context.retried || context.dialog || !Number.isInteger(minSE) || minSE <= 0) return false;
    context.retried = true;
    const headers = (context.parts.headers ?? []).filter(
      (line) => !/^(session-expires|x|min-se)\s*:/i.test(line),
    );
    headers.push(`Session-Expires: ${minSE}`, `Min-SE: ${minSE}`);
    const branch = newBranch();
    const parts: RequestParts = {
      ...context.parts,
      via: this.core.transport.viaFor(context.destination, branch),
      cseq: context.parts.cseq + 1,
      headers,
    };
    this.clientsByKey.delete(context.key);
    Object.assign(context, { parts, key: clientKey(branch, 'INVITE'), wire: writeRequest(parts) });
    this.clientsByKey.set(context.key, context);
    this.launch(context);
    return true;
  }

  private channel(context: ClientContext): Channel {
    const { destination, connection } = context;
    return {
      reliable: destination.transport === 'tcp',
      send: (data) =>
        this.core.transport.send(data, destination, connection, (error) => {
          this.core.logger.info({ err: error, destination }, 'request not delivered');
          this.failClient(context, 503, 'Service Unavailable');
          context.transaction?.terminate();
        }),
    };
  }

  private track(context: ClientContext): void {
    this.clients.set(context.id, context);
    this.clientsByKey.set(context.key, context);
  }

  /** A re-INVITE of ours got its final response (or gave up): the dialog may carry another. */
  private releaseReinvite(context: ClientContext): void {
    if (context.parts.method === 'INVITE' && context.dialog?.reinvite === 'uac')
      context.dialog.reinvite = undefined;
  }

  private clientEnded(context: ClientContext, transaction: Transaction): void {
    if (context.transaction !== transaction) return; // superseded by a 422 retry
    this.releaseReinvite(context);
    this.clients.delete(context.id);
    const subscription = subscriptionKey(context.parts.callId, context.parts.from);
    if (this.subscribing.get(subscription) === context) this.subscribing.delete(subscription);
    if (this.clientsByKey.get(context.key) === context) this.clientsByKey.delete(context.key);
    // Early dialogs of forks that never answered end with their INVITE.
    for (const dialog of context.dialogs?.values() ?? [])
      if (dialog.state === 'early') this.core.dialogs.end(dialog, 'call rejected');
    if (context.deliver && !this.challenged.has(context.id))
      this.core.emit('transaction-end', context.id);
  }

  /** Everything a client transaction passes up: provisional, final, retransmitted 2xx. */
  private handleResponse(
    context: ClientContext,
    response: SipResponse,
    inbound: InboundMessage | undefined,
  ): void {
    const fields = essentials(response);
    const { status } = response;
    const method = context.parts.method;
    let dialog = context.dialog;
    if (method === 'INVITE') {
      if (status > 100 && status < 200 && !context.dialog && fields.toTag) {
        dialog = this.earlyDialog(context, response, fields);
        if (this.isReliableRetransmission(context, dialog, response)) return;
      } else if (status >= 200 && status < 300) {
        if (context.answered && context.answered.remoteTag === fields.toTag) {
          // A retransmission: the ACK (ours or the application's) goes out again.
          if (context.answered.lastAck)
            this.sendToDialog(context.answered, context.answered.lastAck.data);
          return;
        }
        dialog = this.confirmDialog(context, response, fields);
        if (context.parts.body) this.sendAck(context, dialog, [], undefined);
      } else if (status === 422 && this.retryWithLongerSession(context, response)) {
        return;
      } else if (status >= 300) {
        const reason = context.canceled || status === 487 ? 'canceled' : 'call rejected';
        for (const early of context.dialogs?.values() ?? [])
          if (early.state === 'early') this.core.dialogs.end(early, reason);
      }
    }
    if (status >= 200 && status < 300 && dialog && (method === 'INVITE' || method === 'UPDATE')) {
      this.sessions.start(dialog, response.getHeader('session-expires'), true);
    }
    if (method === 'SUBSCRIBE' && status >= 200 && status < 300) {
      dialog = this.subscriptionDialog(context, response, fields);
      this.keepSubscription(dialog, context, response.getHeader('expires'));
    }
    if (status < 200) {
      context.provisionalReceived = true;
      if (context.deferredCancel) this.startCancel(context, context.deferredCancel);
      context.deferredCancel = undefined;
    } else if (context.finalReceived) {
      // The application already has its final response (a 2xx from another fork, or a local 408
      // after Timer C): a further answer is ACKed and hung up at once (RFC 3261 13.2.2.4).
      if (status < 300 && dialog && method === 'INVITE' && !context.dialog) {
        if (!dialog.lastAck) this.sendAck(context, dialog, [], undefined);
        void this.sendInternal(dialog, 'BYE', []);
        this.core.dialogs.end(dialog, 'call rejected');
      }
      return;
    } else {
      context.finalReceived = true;
      context.deferredCancel = undefined;
      this.releaseReinvite(context);
      if ((status === 401 || status === 407) && context.deliver && inbound)
        this.challenged.remember(context.id, context);
    }
    context.deliver?.({
      transactionId: context.id,
      status,
      dialogId: dialog?.state === 'terminated' ? undefined : dialog?.id,
      raw: inbound ? inbound.data.toString() : response.toString(),
      source: inbound?.source ?? { ...context.destination },
      receivedAt: inbound?.receivedAt ?? Date.now(),
    });
  }

  /** A locally generated final response (timeout, unreachable), as the wire contract asks. */
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

  /** The ACK for a 2xx: a request of its own, sent in the dialog (RFC 3261 13.2.2.4). */
  private sendAck(
    context: ClientContext,
    dialog: Dialog,
    lines: readonly string[],
    body: string | undefined,
  ): Buffer {
    const wire = writeRequest({
      method: 'ACK',
      uri: dialog.remoteTarget,
      via: this.core.transport.viaFor(context.destination, newBranch()),
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
    const wire = writeRequest({
      ...context.parts,
      method: 'CANCEL',
      headers: lines,
      body: undefined,
    });
    if (context.provisionalReceived) this.startCancel(context, wire);
    else context.deferredCancel = wire;
    return wire;
  }

  /** The CANCEL's own non-INVITE transaction; its responses concern nobody but itself. */
  private startCancel(invite: ClientContext, wire: Buffer): void {
    const branch = /branch=([^;\s]+)/i.exec(invite.parts.via)?.[1] ?? '';
    const context: ClientContext = {
      ...invite,
      id: newTransactionId(),
      key: clientKey(branch, 'CANCEL'),
      parts: { ...invite.parts, method: 'CANCEL', body: undefined },
      wire,
      deliver: undefined,
      dialogs: undefined,
      transaction: undefined,
    };
    this.track(context);
    context.transaction = new NonInviteClientTransaction<ReceivedResponse>(
      context.id,
      wire,
      this.channel(context),
      this.core.timers,
      { onResponse: () => undefined, onTimeout: () => undefined },
      (transaction) => this.clientEnded(context, transaction),
    );
  }

  private sendToDialog(dialog: Dialog, wire: Buffer): void {
    resolveTarget(dialog.nextHop, dialog.transport).then(
      (destination) => this.core.transport.send(wire, destination, dialog.connection),
      (error: unknown) =>
        this.core.logger.info({ err: error, dialogId: dialog.id }, 'cannot reach the dialog peer'),
    );
  }

  private createDialog(context: ClientContext, response: SipResponse, fields: Essentials): Dialog {
    const dialog = uacDialog(
      context.parts,
      response,
      fields,
      { transport: context.destination.transport, connection: context.connection },
      context.id,
    );
    this.core.dialogs.add(dialog);
    return dialog;
  }

  /** The dialog a 2xx to SUBSCRIBE confirms: the one it was sent in, the one an early NOTIFY made, or a new one. */
  private subscriptionDialog(
    context: ClientContext,
    response: SipResponse,
    fields: Essentials,
  ): Dialog {
    const dialog =
      context.dialog ?? context.answered ?? this.createDialog(context, response, fields);
    context.answered = dialog;
    // From now on a NOTIFY finds the dialog itself; an ended subscription is not revived.
    this.subscribing.delete(subscriptionKey(context.parts.callId, context.parts.from));
    return dialog;
  }

  /** The subscription lasts as the 2xx (or the NOTIFY's expires parameter) says, else as asked. */
  private keepSubscription(
    dialog: Dialog,
    context: ClientContext,
    expires: string | undefined,
  ): void {
    const asked = context.parts.headers
      ?.find((line) => /^expires\s*:/i.test(line))
      ?.replace(/^[^:]*:/, '');
    const granted = /expires=(\d+)/i.exec(expires ?? '')?.[1] ?? expires;
    keepSubscription(dialog, subscriptionSeconds(granted, asked), 64 * this.core.timers.t1, () =>
      this.core.dialogs.end(dialog, 'subscription expired'),
    );
  }

  private earlyDialog(context: ClientContext, response: SipResponse, fields: Essentials): Dialog {
    const dialogs = (context.dialogs ??= new Map());
    let dialog = dialogs.get(fields.toTag ?? '');
    if (!dialog) {
      dialog = this.createDialog(context, response, fields);
      dialogs.set(dialog.remoteTag, dialog);
      this.core.dialogs.announce(dialog, 'early');
    }
    return dialog;
  }

  private confirmDialog(context: ClientContext, response: SipResponse, fields: Essentials): Dialog {
    let dialog = context.dialog ?? context.dialogs?.get(fields.toTag ?? '');
    if (!dialog) {
      dialog = this.createDialog(context, response, fields);
      (context.dialogs ??= new Map()).set(dialog.remoteTag, dialog);
    } else {
      dialog.remoteTarget = contactUri(response) ?? dialog.remoteTarget;
    }
    if (!context.dialog) {
      // RFC 3261 12.1.2: the route set is fixed by the 2xx, not by provisional responses.
      dialog.routeSet = uacRouteSet(response);
    }
    dialog.peerAllowsUpdate = hasOptionTag(response.getHeader('allow'), 'update');
    context.answered = dialog;
    if (dialog.state !== 'confirmed') {
      dialog.state = 'confirmed';
      this.core.dialogs.announce(dialog, 'confirmed');
    }
    return dialog;
  }

  /** RFC 3262 4: PRACK a reliable provisional once; true when it is a retransmission to drop. */
  private isReliableRetransmission(
    context: ClientContext,
    dialog: Dialog,
    response: SipResponse,
  ): boolean {
    if (!hasOptionTag(response.getHeader('require'), '100rel')) return false;
    const rseq = Number(response.getHeader('rseq'));
    if (!Number.isInteger(rseq) || rseq <= 0) return false;
    if (dialog.remoteRSeq !== undefined && rseq <= dialog.remoteRSeq) return true;
    dialog.remoteRSeq = rseq;
    if (context.offered100rel)
      void this.sendInternal(dialog, 'PRACK', [`RAck: ${rseq} ${context.parts.cseq} INVITE`]);
    return false;
  }
}

/**
 * Headers of a new request that the engine writes itself from its RequestParts, so an
 * application's line for one (however spelled) must not go out a second time.
 */
const WRITTEN_BY_ENGINE: ReadonlySet<string> = new Set(['from', 'to', 'call-id', 'cseq']);

/**
 * The application's "Name: value" lines split in one pass: the values of the headers the engine
 * writes itself, by header key (all of them, so a repeated Call-ID or CSeq is noticed), and
 * every other line as it was.
 */
function separateIdentity(lines: readonly string[]): {
  identity: Map<string, string[]>;
  others: string[];
} {
  const identity = new Map<string, string[]>();
  const others: string[] = [];
  for (const line of lines) {
    const colon = line.indexOf(':');
    const key = headerKey(line.slice(0, colon));
    if (!WRITTEN_BY_ENGINE.has(key)) others.push(line);
    else identity.set(key, [...(identity.get(key) ?? []), line.slice(colon + 1).trim()]);
  }
  return { identity, others };
}

/**
 * RFC 3261 25.1: callid = word [ "@" word ], a word being these characters and nothing else
 * (no whitespace: the value goes onto the wire as is and keys the far end's state).
 */
const CALL_ID = /^[\w\-.!%*+`'~()<>:\\"/[\]?{}]+(?:@[\w\-.!%*+`'~()<>:\\"/[\]?{}]+)?$/;

/** RFC 3261 8.1.1.5: a CSeq number is below 2**31. */
const MAX_CSEQ = 2 ** 31 - 1;

/**
 * The Call-ID an application gave a request outside a dialog (an authentication retry, a
 * registration refresh), or undefined for a fresh one. Refused when it is no valid Call-ID.
 */
function chosenCallId(values: readonly string[]): string | undefined {
  if (values.length === 0) return undefined;
  const [value] = values;
  if (values.length > 1 || value === undefined || !CALL_ID.test(value)) {
    throw new EngineError(
      'invalid-argument',
      `invalid Call-ID ${JSON.stringify(values.join(', '))}`,
    );
  }
  return value;
}

/**
 * The CSeq number an application gave a request outside a dialog, or undefined for 1. The
 * value must be "<number> <METHOD>" naming the request's own method: the engine writes the
 * header from the method it sends, and a silently different one would mislead the caller.
 */
function chosenCSeq(values: readonly string[], method: string): number | undefined {
  if (values.length === 0) return undefined;
  const cseq = values.length === 1 ? cseqOrUndefined(values[0] ?? '') : undefined;
  if (!cseq || cseq.method !== method || cseq.seq > MAX_CSEQ) {
    throw new EngineError(
      'invalid-argument',
      `invalid CSeq ${JSON.stringify(values.join(', '))}: expected "<number below 2^31> ${method}"`,
    );
  }
  return cseq.seq;
}

function cseqOrUndefined(value: string): CSeq | undefined {
  try {
    return parseCSeq(value);
  } catch {
    return undefined;
  }
}

/** Authorization and Proxy-Authorization: a retry replaces them with the application's new ones. */
function isCredentials(line: string): boolean {
  const key = headerKey(line.slice(0, line.indexOf(':')));
  return key === 'authorization' || key === 'proxy-authorization';
}

/** A SUBSCRIBE is found again by its Call-ID and our From tag (the To tag of the NOTIFY). */
function subscriptionKey(callId: string, from: string): string {
  return `${callId}|${/;\s*tag=([^;>\s]+)/i.exec(from)?.[1] ?? ''}`;
}
