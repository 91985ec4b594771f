/**
 * The UAS half of the UA core: requests from the network, their server transactions, the
 * rules answered without an application (RFC 3261 8.2, 9.2, 12.2.2; RFC 3262; RFC 4028), the
 * responses the application sends, and the UAS side of dialogs: 2xx retransmitted until the ACK
 * (RFC 3261 13.3.1.4), reliable provisionals retransmitted until the PRACK (RFC 3262 3).
 */
import type { RespondData, RespondResult } from 'drachtio-protocol';
import { parseRAck, SipParseError, type SipRequest } from 'drachtio-sip';
import { detached } from '../detached-string';
import { EngineError } from '../engine-api';
import { newTag, newTransactionId } from '../transaction/identifiers';
import { InviteServerTransaction } from '../transaction/invite-server-transaction';
import { serverKey } from '../transaction/matching';
import { essentials, type Essentials } from '../transaction/message-essentials';
import { withTag, writeResponse } from '../transaction/message-writer';
import { NonInviteServerTransaction } from '../transaction/non-invite-server-transaction';
import type { Channel } from '../transaction/transaction';
import { responseDestination, responseVias } from '../transport/response-route';
import type { InboundMessage } from '../transport/transport';
import { BoundWarning } from './bound-warning';
import type { Dialog } from './dialog';
import { uasDialog } from './dialog-factory';
import { hasOptionTag } from './header-list';
import { reasonPhrase } from './reason-phrases';
import { checkRequest, type Rejection } from './request-checks';
import { Retransmitter } from './retransmitter';
import { isTerminated, keepSubscription, subscriptionSeconds } from './subscriptions';
import type { UserAgentClient } from './user-agent-client';
import {
  addContentType,
  applicationHeaders,
  contactUri,
  TARGET_REFRESH_METHODS,
  type UserAgentCore,
} from './user-agent-core';

type ServerTransaction = InviteServerTransaction | NonInviteServerTransaction;

/** Shutting down or at a bound: come back later (RFC 3261 21.5.4). */
const SERVICE_UNAVAILABLE: Rejection = { status: 503, headers: ['Retry-After: 5'] };

/** A request received from the network, while its server transaction lives. */
interface ServerContext {
  id: string;
  key: string;
  method: string;
  transaction: ServerTransaction;
  mergeKey?: string;
  canceled: boolean;
  /**
   * Until the final response: the request and what answering it takes. Dropped then, because
   * a finished transaction lingers 32 s (Timers J and L) for retransmissions only, and at
   * 1,000 calls/s tens of thousands of them would each keep a parsed request alive.
   */
  open: OpenRequest | undefined;
}

/** A request still waiting for its final response. */
interface OpenRequest {
  request: SipRequest;
  essentials: Essentials;
  inbound: InboundMessage;
  /** Our To tag for responses that create a dialog (the request's own tag inside a dialog). */
  localTag: string;
  /** The Via values our responses carry (RFC 3581 received and rport filled in). */
  vias: string[];
  /** The dialog the request is in, or the one its responses create. */
  dialog?: Dialog;
  /** This re-INVITE holds its dialog's one-at-a-time lock until its final response. */
  holdsReinvite: boolean;
  /** Answers 408 when the application never sends a final response, so nothing waits for ever. */
  deadline: NodeJS.Timeout | undefined;
}

export class UserAgentServer {
  private readonly servers = new Map<string, ServerContext>();
  private readonly serversByKey = new Map<string, ServerContext>();
  /** INVITEs without To tag by Call-ID, From tag and CSeq, to spot merged requests (RFC 3261 8.2.2.2). */
  private readonly invitesInProgress = new Map<string, ServerContext>();
  private readonly transactionBound: BoundWarning;
  private readonly dialogBound: BoundWarning;

  constructor(
    private readonly core: UserAgentCore,
    /** Sends the engine's own requests (BYE after an ACK timeout) and runs session timers. */
    private readonly client: UserAgentClient,
  ) {
    this.transactionBound = new BoundWarning(core.logger, 'maxTransactions', core.limits.maxTransactions);
    this.dialogBound = new BoundWarning(core.logger, 'maxDialogs', core.limits.maxDialogs);
  }

  get size(): number {
    return this.servers.size;
  }

  receiveRequest(request: SipRequest, inbound: InboundMessage): void {
    const fields = essentials(request);
    if (fields.cseq.method !== request.method)
      throw new SipParseError('cseq', 'CSeq method does not match the request method');
    const key = serverKey(fields, request.method);
    if (request.method === 'ACK') return this.receiveAck(fields, key, inbound);

    const existing = this.serversByKey.get(key);
    if (existing) return existing.transaction.receiveRetransmission();

    const open: OpenRequest = {
      request,
      essentials: fields,
      inbound,
      localTag: fields.toTag ?? newTag(),
      vias: responseVias(fields.viaLines, fields.topViaText, fields.topVia, inbound.source),
      holdsReinvite: false,
      deadline: undefined,
    };
    const context = this.createContext(open, key);
    if (!this.core.running()) return this.answerLocally(context, SERVICE_UNAVAILABLE);
    if (this.servers.size > this.core.limits.maxTransactions) {
      this.transactionBound.refused503();
      return this.answerLocally(context, SERVICE_UNAVAILABLE);
    }
    if (request.method === 'CANCEL') return this.receiveCancel(context, open);

    const rejection = checkRequest(request) ?? this.client.sessions.check(request);
    if (rejection) return this.answerLocally(context, rejection);
    if (fields.toTag !== undefined) return this.receiveInDialog(context, open);

    if (request.method === 'INVITE') {
      const mergeKey = `${fields.callId}|${fields.fromTag ?? ''}|${fields.cseq.seq}`;
      if (this.invitesInProgress.has(mergeKey))
        return this.answerLocally(context, { status: 482, reason: 'Loop Detected' });
      if (this.core.dialogs.size >= this.core.limits.maxDialogs) {
        this.dialogBound.refused503();
        return this.answerLocally(context, SERVICE_UNAVAILABLE);
      }
      // Kept (as the map's key too) while the transaction lingers: its Call-ID is a slice of the
      // request's text, which a copy lets go.
      context.mergeKey = detached(mergeKey);
      this.invitesInProgress.set(context.mergeKey, context);
    }
    this.emitRequest(context, open);
  }

  async respond(data: RespondData): Promise<RespondResult> {
    const context = this.servers.get(data.transactionId);
    if (!context)
      throw new EngineError('unknown-transaction', `no server transaction ${data.transactionId}`);
    const { status } = data;
    if (!Number.isInteger(status) || status < 100 || status > 699)
      throw new EngineError('invalid-argument', `invalid status ${status}`);
    const { open } = context;
    if (!open) {
      const why = context.canceled
        ? 'the request was canceled'
        : 'a final response was already sent';
      throw new EngineError('invalid-state', `cannot respond to ${data.transactionId}: ${why}`);
    }
    if (data.reason !== undefined && /[\r\n]/.test(data.reason))
      throw new EngineError('invalid-argument', 'reason contains a line break');

    const headers = applicationHeaders(this.core.logger, data.headers, 'dialog');
    const isInvite = context.method === 'INVITE';
    const success = status >= 200 && status < 300;
    const createsDialog =
      isInvite && status > 100 && status < 300 && open.essentials.toTag === undefined;
    const subscribes = context.method === 'SUBSCRIBE' && success;
    if (
      (createsDialog || (success && TARGET_REFRESH_METHODS.has(context.method))) &&
      !headers.values.has('contact')
    ) {
      headers.lines.push(this.core.transport.contactFor(open.inbound.source));
    }
    addContentType(headers, data.body);
    const dialog =
      createsDialog || (subscribes && open.essentials.toTag === undefined)
        ? (open.dialog ?? this.createDialog(context, open))
        : open.dialog;
    const reliable =
      isInvite &&
      status > 100 &&
      status < 200 &&
      dialog !== undefined &&
      hasOptionTag(headers.values.get('require'), '100rel');
    if (reliable && dialog) headers.lines.push(`RSeq: ${++dialog.localRSeq}`);
    const sessionPlan = success ? this.client.sessions.answer(open.request, headers) : undefined;

    const wire = this.send(
      context,
      open,
      status,
      data.reason ?? reasonPhrase(status),
      headers.lines,
      data.body,
    );

    if (dialog) {
      if (data.body && status < 300) dialog.localSdp = data.body;
      if (reliable) this.retransmitUntilPrack(context, dialog, wire);
      // A final response makes provisional retransmissions moot; a late PRACK still finds its RSeq.
      if (status >= 200)
        for (const pending of dialog.unacknowledgedProvisionals.values()) pending.stop();
      if (isInvite && success) {
        dialog.state = 'confirmed';
        this.retransmitUntilAck(context, open.essentials.cseq.seq, dialog, wire);
      }
      if (success && (isInvite || context.method === 'UPDATE')) {
        const value = sessionPlan && `${sessionPlan.interval};refresher=${sessionPlan.refresher}`;
        this.client.sessions.start(dialog, value, false);
      }
      if (createsDialog && !dialog.announced) this.core.dialogs.announce(dialog, 'early');
      if (createsDialog && success) this.core.dialogs.announce(dialog, 'confirmed');
      if (isInvite && status >= 300 && dialog.state === 'early')
        this.core.dialogs.end(dialog, 'call rejected');
      if (subscribes) {
        const seconds = subscriptionSeconds(
          headers.values.get('expires'),
          open.request.getHeader('expires'),
        );
        keepSubscription(dialog, seconds, 64 * this.core.timers.t1, () =>
          this.core.dialogs.end(dialog, 'subscription expired'),
        );
      }
    }
    return {
      dialogId: dialog && dialog.state !== 'terminated' ? dialog.id : undefined,
      raw: wire.toString(),
    };
  }

  /** Engine shutdown: every server transaction ends now. */
  stop(): void {
    for (const context of [...this.servers.values()]) context.transaction.terminate();
    this.invitesInProgress.clear();
  }

  // ---------------------------------------------------------------------------------------------

  private receiveInDialog(context: ServerContext, open: OpenRequest): void {
    const { essentials: fields, request } = open;
    const dialog =
      this.core.dialogs.find(fields.callId, fields.toTag, fields.fromTag) ??
      (request.method === 'NOTIFY'
        ? this.client.adoptNotify(request, fields, open.inbound)
        : undefined);
    if (!dialog) return this.answerLocally(context, { status: 481 });
    if (!dialog.acceptRemoteSeq(fields.cseq.seq)) {
      return this.answerLocally(context, {
        status: 500,
        reason: 'Server Internal Error - CSeq out of order',
      });
    }
    open.dialog = dialog;
    if (request.method === 'PRACK') return this.receivePrack(context, open, dialog);
    const endsSubscription =
      request.method === 'NOTIFY' &&
      dialog.usage === 'subscription' &&
      isTerminated(request.getHeader('subscription-state'));
    if (request.method === 'INVITE') {
      // RFC 3261 14.2: one re-INVITE at a time; glare with ours gets 491, a second of theirs 500.
      if (dialog.reinvite === 'uac') return this.answerLocally(context, { status: 491 });
      if (dialog.reinvite === 'uas') {
        const retryAfter = Math.floor(Math.random() * 10);
        return this.answerLocally(context, {
          status: 500,
          headers: [`Retry-After: ${retryAfter}`],
        });
      }
      dialog.reinvite = 'uas';
      open.holdsReinvite = true;
    }
    if (TARGET_REFRESH_METHODS.has(request.method))
      dialog.remoteTarget = contactUri(request) ?? dialog.remoteTarget;
    this.emitRequest(context, open);
    if (request.method === 'BYE') {
      // RFC 3261 15.1.2: a BYE in an early dialog ends the INVITE too, with a 487.
      const invite = this.servers.get(dialog.inviteTransactionId);
      if (dialog.role === 'uas' && invite?.open) {
        invite.canceled = true;
        this.answerLocally(invite, { status: 487 });
      }
      this.core.dialogs.end(dialog, 'normal far end release');
    }
    if (endsSubscription) this.core.dialogs.end(dialog, 'subscription terminated');
  }

  /** RFC 3262: a PRACK stops its reliable provisional; the engine answers it, then tells the application. */
  private receivePrack(context: ServerContext, open: OpenRequest, dialog: Dialog): void {
    let rseq: number;
    try {
      rseq = parseRAck(open.request.getHeader('rack') ?? '').rseq;
    } catch {
      return this.answerLocally(context, {
        status: 400,
        reason: 'Bad Request - missing or invalid RAck',
      });
    }
    const retransmitter = dialog.unacknowledgedProvisionals.get(rseq);
    if (!retransmitter) return this.answerLocally(context, { status: 481 });
    retransmitter.stop();
    dialog.unacknowledgedProvisionals.delete(rseq);
    this.answerLocally(context, { status: 200 });
    this.emitRequest(context, open, dialog.inviteTransactionId, true);
  }

  /** An ACK ends a non-2xx INVITE transaction, or (for a 2xx) the dialog's retransmissions. */
  private receiveAck(fields: Essentials, key: string, inbound: InboundMessage): void {
    const invite = this.serversByKey.get(key);
    if (invite?.transaction instanceof InviteServerTransaction && invite.transaction.receiveAck())
      return;
    const dialog = this.core.dialogs.find(fields.callId, fields.toTag, fields.fromTag);
    const awaited = dialog?.awaitedAck;
    if (!dialog || !awaited || awaited.cseq !== fields.cseq.seq) return; // a retransmitted or stray ACK
    awaited.retransmitter.stop();
    dialog.awaitedAck = undefined;
    const transactionId = newTransactionId();
    this.core.emit('request', {
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
    this.core.emit('transaction-end', transactionId);
  }

  /** RFC 3261 9.2: 200 to the CANCEL, 487 to the INVITE, then the application hears of it. */
  private receiveCancel(context: ServerContext, open: OpenRequest): void {
    const invite = this.serversByKey.get(serverKey(open.essentials, 'INVITE'));
    if (!invite) return this.answerLocally(context, { status: 481 });
    this.answerLocally(context, { status: 200 });
    if (!invite.open) return;
    const { dialog } = invite.open;
    invite.canceled = true;
    this.answerLocally(invite, { status: 487 });
    if (dialog?.state === 'early') this.core.dialogs.end(dialog, 'canceled');
    this.core.emit('cancel', {
      transactionId: invite.id,
      raw: open.inbound.data.toString(),
      source: open.inbound.source,
    });
  }

  private createContext(open: OpenRequest, key: string): ServerContext {
    const { method } = open.request;
    const id = newTransactionId();
    const channel = this.responseChannel(open.essentials, open.inbound);
    const onTerminated = () => this.contextEnded(context);
    const transaction =
      method === 'INVITE'
        ? new InviteServerTransaction(id, channel, this.core.timers, onTerminated)
        : new NonInviteServerTransaction(id, channel, this.core.timers, onTerminated);
    const context: ServerContext = {
      id,
      // Built from the Via branch: a slice of the request's text, kept for 32 s after the request.
      key: detached(key),
      method,
      transaction,
      canceled: false,
      open,
    };
    this.servers.set(id, context);
    this.serversByKey.set(context.key, context);
    // The peer gives up after Timer F (non-INVITE) or Timer C (INVITE); so do we.
    const { timers } = this.core;
    open.deadline = setTimeout(
      () => this.abandon(context),
      method === 'INVITE' ? timers.timerC : 64 * timers.t1,
    );
    open.deadline.unref?.();
    // RFC 3261 17.2.1: an INVITE gets 100 Trying at once, before any application is asked.
    if (method === 'INVITE') this.answerLocally(context, { status: 100 });
    return context;
  }

  private abandon(context: ServerContext): void {
    if (!context.open) return;
    const { dialog } = context.open;
    this.core.logger.warn(
      { transactionId: context.id, method: context.method },
      'no final response from the application: answering 408',
    );
    this.answerLocally(context, { status: 408 });
    if (dialog?.state === 'early') this.core.dialogs.end(dialog, 'call rejected');
  }

  /** The transaction has its final response: the request, its deadline and any re-INVITE lock go. */
  private finished(context: ServerContext): void {
    const { open } = context;
    if (!open) return;
    context.open = undefined;
    clearTimeout(open.deadline);
    if (open.holdsReinvite && open.dialog) open.dialog.reinvite = undefined;
  }

  private contextEnded(context: ServerContext): void {
    this.finished(context);
    this.servers.delete(context.id);
    if (this.serversByKey.get(context.key) === context) this.serversByKey.delete(context.key);
    if (context.mergeKey && this.invitesInProgress.get(context.mergeKey) === context)
      this.invitesInProgress.delete(context.mergeKey);
    this.core.emit('transaction-end', context.id);
  }

  private emitRequest(
    context: ServerContext,
    open: OpenRequest,
    inviteTransactionId?: string,
    answered?: true,
  ): void {
    const { inbound } = open;
    this.core.emit('request', {
      transactionId: context.id,
      method: context.method,
      callId: open.essentials.callId,
      dialogId: open.dialog?.id,
      inviteTransactionId,
      answered,
      raw: inbound.data.toString(),
      source: inbound.source,
      receivedAt: inbound.receivedAt,
    });
  }

  /**
   * A response the engine sends on its own (rejections, 100 Trying, 487, 200 to CANCEL and
   * PRACK); nothing once a final response has gone out.
   */
  private answerLocally(context: ServerContext, rejection: Rejection): void {
    if (!context.open) return;
    this.send(
      context,
      context.open,
      rejection.status,
      rejection.reason ?? reasonPhrase(rejection.status),
      rejection.headers ?? [],
      undefined,
    );
  }

  private send(
    context: ServerContext,
    open: OpenRequest,
    status: number,
    reason: string,
    lines: readonly string[],
    body: string | undefined,
  ): Buffer {
    const fields = open.essentials;
    const tagged = status > 100 && fields.toTag === undefined;
    // RFC 3261 12.1.1: a response that creates a dialog copies the Record-Route of the request.
    const createsDialog =
      (context.method === 'INVITE' && status > 100 && status < 300) ||
      (context.method === 'SUBSCRIBE' && status >= 200 && status < 300);
    const wire = writeResponse({
      status,
      reason,
      vias: open.vias,
      from: fields.from,
      to: tagged ? withTag(fields.to, open.localTag) : fields.to,
      callId: fields.callId,
      cseq: `${fields.cseq.seq} ${fields.cseq.method}`,
      recordRoutes: createsDialog ? open.request.getHeaders('record-route') : undefined,
      headers: lines,
      body,
    });
    context.transaction.respond(status, wire);
    if (status >= 200) this.finished(context);
    return wire;
  }

  private createDialog(context: ServerContext, open: OpenRequest): Dialog {
    const { source, connection } = open.inbound;
    const dialog = uasDialog(
      open.request,
      open.essentials,
      open.localTag,
      { transport: source.transport, connection },
      context.id,
    );
    open.dialog = dialog;
    this.core.dialogs.add(dialog);
    return dialog;
  }

  /** RFC 3261 13.3.1.4: our 2xx goes out again until the ACK; without one, a BYE ends the call. */
  private retransmitUntilAck(
    context: ServerContext,
    cseq: number,
    dialog: Dialog,
    wire: Buffer,
  ): void {
    const { timers, logger } = this.core;
    dialog.awaitedAck?.retransmitter.stop();
    const transaction = context.transaction as InviteServerTransaction;
    const retransmitter = new Retransmitter(
      () => transaction.resend(wire),
      timers,
      transaction.reliable,
      timers.t2,
      () => {
        logger.info({ dialogId: dialog.id }, 'no ACK for our 2xx: ending the dialog');
        void this.client.sendInternal(dialog, 'BYE', ['Reason: SIP;cause=408;text="ACK Timeout"']);
        this.core.dialogs.end(dialog, 'ack timeout');
      },
    );
    dialog.awaitedAck = {
      cseq,
      inviteTransactionId: context.id,
      retransmitter,
    };
  }

  /** RFC 3262 3: a reliable provisional goes out again (T1, doubling) until its PRACK. */
  private retransmitUntilPrack(context: ServerContext, dialog: Dialog, wire: Buffer): void {
    const { timers, logger } = this.core;
    const rseq = dialog.localRSeq;
    const transaction = context.transaction as InviteServerTransaction;
    const retransmitter = new Retransmitter(
      () => transaction.resend(wire),
      timers,
      transaction.reliable,
      32 * timers.t1,
      () => {
        dialog.unacknowledgedProvisionals.delete(rseq);
        logger.info({ dialogId: dialog.id, rseq }, 'reliable provisional never PRACKed');
        // RFC 3262 3: the UAS then rejects the INVITE with a 5xx.
        if (context.open) {
          this.answerLocally(context, {
            status: 500,
            reason: 'Server Internal Error - provisional response not acknowledged',
          });
          if (dialog.state === 'early') this.core.dialogs.end(dialog, 'call rejected');
        }
      },
    );
    dialog.unacknowledgedProvisionals.set(rseq, retransmitter);
  }

  /** Captures only where responses go: the channel outlives the request by 32 s. */
  private responseChannel(fields: Essentials, inbound: InboundMessage): Channel {
    const destination = responseDestination(fields.topVia, inbound.source);
    const { connection } = inbound;
    const { transport, logger } = this.core;
    return {
      reliable: inbound.source.transport === 'tcp',
      send: (data) =>
        transport.send(data, destination, connection, (error) =>
          logger.info({ err: error, destination }, 'response not delivered'),
        ),
    };
  }
}
