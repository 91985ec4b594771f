/**
 * The UAS dispatcher: each request from the network gets its server transaction and the rules
 * answered without an application (RFC 3261 8.2, 12.2.2), then goes to the usage it belongs to
 * (INVITE, reliable provisionals, subscriptions, session timers) and up to the application;
 * each response the application sends goes out and back to those usages.
 */
import { LIMITS, type RespondData, type RespondResult } from 'drachtio-protocol';
import { SipParseError, type SipRequest } from 'drachtio-sip';
import { detached } from '../detached-string';
import { EngineError } from '../engine-api';
import { newTag } from '../transaction/identifiers';
import { serverKey } from '../transaction/matching';
import { essentials, type Essentials } from '../transaction/message-essentials';
import type { ServerChannel } from '../transaction/transaction';
import { responseDestination, responseVias } from '../transport/response-route';
import type { InboundMessage } from '../transport/transport';
import { isReliable } from '../transport/transport-kinds';
import {
  addContentType,
  applicationHeaders,
  contactUri,
  TARGET_REFRESH_METHODS,
} from './application-headers';
import type { UserAgentCore } from './core';
import { dialogIdLength, type Dialog } from './dialog/dialog';
import { uasDialog } from './dialog/dialog-setup';
import type { InviteServer } from './invite/invite-server';
import type { ReliableProvisionals } from './reliable-provisional/reliable-provisionals';
import { BoundWarning } from './server/bound-warning';
import { DeferredTrying } from './server/deferred-trying';
import { reasonPhrase } from './server/reason-phrases';
import { ResponseChannel } from './server/response-channel';
import type { ProxyCore } from './proxy/proxy-core';
import { checkRequest, type Rejection } from './server/request-checks';
import { ServerRequest, type OpenRequest } from './server/server-request';
import type { SessionTimers } from './session-timer/session-timers';
import { isTerminated, type Subscriptions } from './subscription/subscriptions';

/** Shutting down or at a bound: come back later (RFC 3261 21.5.4). */
const SERVICE_UNAVAILABLE: Rejection = { status: 503, headers: ['Retry-After: 5'] };

/** A Call-ID and tags whose dialog id would break the wire's limit (LIMITS.idLength). */
const IDENTIFIERS_TOO_LONG: Rejection = {
  status: 400,
  reason: 'Bad Request - Call-ID or tag too long',
};

/** Outside a dialog, but with a live dialog's Call-ID and From tag (RFC 3261 8.2.2.2's spirit). */
const REUSED_DIALOG: Rejection = {
  status: 482,
  reason: 'Loop Detected - Call-ID and From tag of a live dialog',
};

/** The usages a request or response may concern. */
export interface ServerUsages {
  invites: InviteServer;
  reliable: ReliableProvisionals;
  subscriptions: Subscriptions;
  sessions: SessionTimers;
  proxy: ProxyCore;
}

export class UserAgentServer {
  private readonly transactionBound: BoundWarning;
  private readonly dialogBound: BoundWarning;
  private readonly trying: DeferredTrying;

  constructor(
    private readonly core: UserAgentCore,
    private readonly usages: ServerUsages,
  ) {
    this.transactionBound = new BoundWarning(
      core.logger,
      'maxTransactions',
      core.limits.maxTransactions,
    );
    this.dialogBound = new BoundWarning(core.logger, 'maxDialogs', core.limits.maxDialogs);
    this.trying = new DeferredTrying(core.timers.t1);
  }

  receiveRequest(message: SipRequest, inbound: InboundMessage): void {
    const fields = essentials(message);
    if (fields.cseq.method !== message.method)
      throw new SipParseError('cseq', 'CSeq method does not match the request method');
    const key = serverKey(fields, message.method);
    const { transactions, limits, dialogs } = this.core;
    if (message.method === 'ACK') {
      if (!transactions.hasServerKey(key) && this.usages.proxy.forwardAck(message, fields, inbound))
        return;
      return this.usages.invites.receiveAck(fields, key, inbound);
    }
    const existing = transactions.serverByKey(key);
    if (existing) return existing.transaction.receiveRetransmission();
    if (transactions.answerRetransmission(key)) return;
    if (this.core.overload?.refuses(message, fields, key, inbound)) return;

    const open: OpenRequest = {
      request: message,
      essentials: fields,
      inbound,
      localTag: fields.toTag ?? newTag(),
      vias: responseVias(fields.viaLines, fields.topViaText, fields.topVia, inbound.source),
      holdsReinvite: false,
      deadline: undefined,
    };
    const request = this.start(open, key);
    if (!this.core.running()) return request.answerLocally(SERVICE_UNAVAILABLE);
    if (transactions.serversInProgress > limits.maxTransactions) {
      this.transactionBound.hit();
      return request.answerLocally(SERVICE_UNAVAILABLE);
    }
    if (this.core.quota && !this.core.quota.admit(request, inbound.source.address))
      return request.answerLocally(SERVICE_UNAVAILABLE);
    // Everything a notice about this request carries must fit the wire's identifier limit.
    if (dialogIdLength(fields.callId, open.localTag, fields.fromTag ?? '') > LIMITS.idLength)
      return request.answerLocally(IDENTIFIERS_TOO_LONG);
    if (message.method === 'CANCEL') return this.usages.invites.receiveCancel(request, open);
    // A request of a dialog we record-routed is the proxy's, before any UAS rule (RFC 3261 16.3).
    if (this.usages.proxy.routesThrough(message, fields))
      return this.usages.proxy.forwardInDialog(request, open);

    const rejection = checkRequest(message) ?? this.usages.sessions.check(message);
    if (rejection) return request.answerLocally(rejection);
    if (fields.toTag !== undefined) return this.receiveInDialog(request, open);
    if (fields.fromTag !== undefined && dialogs.hasRemote(fields.callId, fields.fromTag))
      return request.answerLocally(REUSED_DIALOG);

    if (message.method === 'INVITE') {
      const mergeKey = `${fields.callId}|${fields.fromTag ?? ''}|${fields.cseq.seq}`;
      // A copy that went through our proxy core is a spiral (or a loop, which the proxy catches).
      if (transactions.isMerged(mergeKey) && !this.usages.proxy.forwardedBefore(fields.viaLines))
        return request.answerLocally({ status: 482, reason: 'Loop Detected' });
      if (dialogs.size >= limits.maxDialogs) {
        this.dialogBound.hit();
        return request.answerLocally(SERVICE_UNAVAILABLE);
      }
      // Kept (as the map's key too) while the transaction is in progress, which may be past the
      // request (a non-2xx waits for its ACK): its Call-ID is a slice of the request's text,
      // which a copy lets go. Once it lingers, its record keeps the key as bytes.
      transactions.trackMerge(request, detached(mergeKey));
    }
    this.emitRequest(request, open);
  }

  async respond(data: RespondData): Promise<RespondResult> {
    const request = this.core.transactions.server(data.transactionId);
    if (!request)
      throw new EngineError('unknown-transaction', `no server transaction ${data.transactionId}`);
    const { status } = data;
    if (!Number.isInteger(status) || status < 100 || status > 699)
      throw new EngineError('invalid-argument', `invalid status ${status}`);
    const { open } = request;
    if (request.proxy)
      throw new EngineError('invalid-state', `${data.transactionId} is being proxied`);
    if (!open) {
      const why = request.canceled
        ? 'the request was canceled'
        : 'a final response was already sent';
      throw new EngineError('invalid-state', `cannot respond to ${data.transactionId}: ${why}`);
    }
    if (data.reason !== undefined && /[\r\n]/.test(data.reason))
      throw new EngineError('invalid-argument', 'reason contains a line break');

    const { invites, reliable, subscriptions, sessions } = this.usages;
    const headers = applicationHeaders(this.core.logger, data.headers, 'dialog');
    const { method } = request;
    const isInvite = method === 'INVITE';
    const success = status >= 200 && status < 300;
    const outsideDialog = open.essentials.toTag === undefined;
    const createsDialog = isInvite && status > 100 && status < 300 && outsideDialog;
    const subscribes = method === 'SUBSCRIBE' && success;
    if (
      (createsDialog || (success && TARGET_REFRESH_METHODS.has(method))) &&
      !headers.values.has('contact')
    )
      headers.lines.push(this.core.transport.contactFor(open.inbound.source));
    addContentType(headers, data.body);
    const dialog =
      createsDialog || (subscribes && outsideDialog)
        ? (open.dialog ?? this.createDialog(request, open))
        : open.dialog;
    const rseq = isInvite ? reliable.prepare(status, dialog, headers) : undefined;
    const sessionPlan = success ? sessions.answer(open.request, headers) : undefined;

    const wire = request.send(
      open,
      status,
      data.reason ?? reasonPhrase(status),
      headers.lines,
      data.body,
    );

    if (dialog) {
      if (status < 300) dialog.sentSdp(data.body);
      if (rseq !== undefined) reliable.retransmitUntilPrack(request, dialog, rseq, wire);
      if (status >= 200) dialog.finalSent();
      if (isInvite) invites.responded(request, open, dialog, status, wire);
      if (success && (isInvite || method === 'UPDATE')) sessions.start(dialog, sessionPlan, false);
      if (subscribes) subscriptions.accepted(dialog, headers.values.get('expires'), open.request);
    }
    return {
      dialogId: dialog && dialog.state !== 'terminated' ? dialog.id : undefined,
      raw: wire.toString(),
    };
  }

  // ---------------------------------------------------------------------------------------------

  private receiveInDialog(request: ServerRequest, open: OpenRequest): void {
    const { essentials: fields, request: message } = open;
    const { dialogs } = this.core;
    const { invites, reliable, subscriptions } = this.usages;
    const dialog =
      dialogs.find(fields.callId, fields.toTag, fields.fromTag) ??
      (message.method === 'NOTIFY'
        ? subscriptions.adoptNotify(message, fields, open.inbound)
        : undefined);
    if (!dialog) return request.answerLocally({ status: 481 });
    if (!dialog.acceptRemoteSeq(fields.cseq.seq))
      return request.answerLocally({
        status: 500,
        reason: 'Server Internal Error - CSeq out of order',
      });
    open.dialog = dialog;
    if (message.method === 'PRACK') {
      const answer = reliable.receivePrack(request, dialog);
      request.answerLocally(answer);
      if (answer.status === 200) this.emitRequest(request, open, dialog.inviteTransactionId, true);
      return;
    }
    const endsSubscription =
      message.method === 'NOTIFY' &&
      dialog.usage === 'subscription' &&
      isTerminated(message.getHeader('subscription-state'));
    if (message.method === 'INVITE') {
      const glare = invites.reinvite(open, dialog);
      if (glare) return request.answerLocally(glare);
    }
    if (TARGET_REFRESH_METHODS.has(message.method)) dialog.refreshTarget(contactUri(message));
    this.emitRequest(request, open);
    if (message.method === 'BYE') {
      invites.byeReceived(dialog);
      dialogs.end(dialog, 'normal far end release');
    }
    if (endsSubscription) dialogs.end(dialog, 'subscription terminated');
  }

  /** A new server transaction; an INVITE gets 100 Trying unless it is answered soon. */
  private start(open: OpenRequest, key: string): ServerRequest {
    const { transactions, timers } = this.core;
    const channel = this.responseChannel(open.essentials, open.inbound);
    const request = new ServerRequest(
      open,
      key,
      channel,
      timers,
      (ended) => this.ended(ended),
      // A source's quota counts requests awaiting their answer, not the 32 s a finished one lingers.
      (answered) => this.core.quota?.end(answered),
    );
    transactions.addServer(request);
    // The peer gives up after Timer F (non-INVITE) or Timer C (INVITE); so do we.
    open.deadline = setTimeout(
      () => this.abandon(request),
      request.method === 'INVITE' ? timers.timerC : 64 * timers.t1,
    );
    open.deadline.unref?.();
    if (request.method === 'INVITE') this.trying.add(request);
    return request;
  }

  private abandon(request: ServerRequest): void {
    if (!request.open) return;
    const { dialog } = request.open;
    this.core.logger.warn(
      { transactionId: request.id, method: request.method },
      'no final response from the application: answering 408',
    );
    request.answerLocally({ status: 408 });
    if (dialog?.state === 'early') this.core.dialogs.end(dialog, 'call rejected');
  }

  private ended(request: ServerRequest): void {
    request.finish();
    this.core.quota?.end(request);
    this.core.transactions.removeServer(request);
    // Told once the step that ended it is over: a 2xx ends the transaction (it lingers as a
    // record) before its dialog is announced, and the control plane routes that first dialog
    // notice by this transaction's Call-ID.
    queueMicrotask(() => this.core.emit('transaction-end', request.id));
  }

  private emitRequest(
    request: ServerRequest,
    open: OpenRequest,
    inviteTransactionId?: string,
    answered?: true,
  ): void {
    const { inbound } = open;
    this.core.emit('request', {
      transactionId: request.id,
      method: request.method,
      callId: open.essentials.callId,
      dialogId: open.dialog?.id,
      inviteTransactionId,
      answered,
      raw: inbound.data.toString(),
      source: inbound.source,
      receivedAt: inbound.receivedAt,
    });
  }

  private createDialog(request: ServerRequest, open: OpenRequest): Dialog {
    const { source, connection } = open.inbound;
    const via = { transport: source.transport, connection };
    const dialog = uasDialog(open.request, open.essentials, open.localTag, via, request.id);
    open.dialog = dialog;
    this.core.dialogs.add(dialog);
    return dialog;
  }

  /** Holds only where responses go: a finished non-INVITE's record keeps that as bytes. */
  private responseChannel(fields: Essentials, inbound: InboundMessage): ServerChannel {
    const destination = responseDestination(fields.topVia, inbound.source);
    const reliable = isReliable(inbound.source.transport);
    return new ResponseChannel(reliable, destination, inbound.connection, this.core);
  }
}
