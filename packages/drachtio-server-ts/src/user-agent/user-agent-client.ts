/**
 * The UAC dispatcher: each request the application (or the engine) sends is checked and put
 * together (RequestSender), sent in a client transaction (ClientTransactions), and each
 * response goes to the usage it concerns (INVITE, reliable provisionals, subscriptions, session
 * timers) before the application hears of it.
 */
import {
  LIMITS,
  type AckData,
  type CancelData,
  type SendRequestData,
  type SendRequestResult,
} from 'drachtio-protocol';
import type { SipResponse } from 'drachtio-sip';
import { EngineError, type EngineResponse, type RequestOptions } from '../engine-api';
import { clientKey } from '../transaction/matching';
import { essentials } from '../transaction/message-essentials';
import type { InboundMessage } from '../transport/transport';
import { addContentType, applicationHeaders } from './application-headers';
import type { ClientRequest } from './client/client-request';
import type { ClientEvents } from './client/client-transactions';
import type { RequestSender } from './client/request-sender';
import type { UserAgentCore } from './core';
import { dialogIdLength } from './dialog/dialog';
import type { InviteClient } from './invite/invite-client';
import { applicationRack } from './reliable-provisional/app-prack';
import type { ProxyCore } from './proxy/proxy-core';
import type { SessionTimers } from './session-timer/session-timers';
import { isTerminated, type Subscriptions } from './subscription/subscriptions';

/** The usages a response may concern. */
export interface ClientUsages {
  invites: InviteClient;
  subscriptions: Subscriptions;
  sessions: SessionTimers;
  proxy: ProxyCore;
}

export class UserAgentClient implements ClientEvents {
  private sender!: RequestSender;
  private usages!: ClientUsages;

  constructor(private readonly core: UserAgentCore) {}

  /** The parts are made with this dispatcher as their events' receiver, then handed in here. */
  attach(sender: RequestSender, usages: ClientUsages): void {
    this.sender = sender;
    this.usages = usages;
  }

  async request(
    data: SendRequestData,
    onResponse: (response: EngineResponse) => void,
    options: RequestOptions = {},
  ): Promise<SendRequestResult> {
    const method = (data.method ?? '').toUpperCase();
    if (!/^[A-Z]+$/.test(method))
      throw new EngineError('invalid-argument', `invalid method "${data.method}"`);
    if (method === 'ACK' || method === 'CANCEL')
      throw new EngineError(
        'invalid-argument',
        `${method} is sent with the ${method.toLowerCase()} command`,
      );
    const { transactions, limits, dialogs } = this.core;
    if (!this.core.running()) throw new EngineError('invalid-state', 'the SIP engine is stopped');
    if (transactions.clientsInProgress >= limits.maxTransactions)
      throw new EngineError('send-failed', 'too many transactions in progress');

    let request: ClientRequest;
    if (data.retryOf !== undefined) {
      request = this.sender.retry(data.retryOf, data, method, onResponse);
    } else if (data.dialogId !== undefined) {
      const dialog = dialogs.get(data.dialogId);
      if (!dialog) throw new EngineError('unknown-dialog', `no dialog ${data.dialogId}`);
      const headers = applicationHeaders(this.core.logger, data.headers, 'dialog');
      addContentType(headers, data.body);
      if (method === 'PRACK' && options.appOwnsPrack)
        headers.lines.push(applicationRack(dialog, data.headers));
      request = await this.sender.sendInDialog(dialog, method, headers, data.body, onResponse);
      if (method === 'BYE') dialogs.end(dialog, 'normal near end release');
      const state = headers.values.get('subscription-state');
      if (method === 'NOTIFY' && dialog.usage === 'subscription' && isTerminated(state))
        dialogs.end(dialog, 'subscription terminated');
    } else {
      if (!data.uri)
        throw new EngineError('invalid-argument', 'a request outside a dialog needs a uri');
      request = await this.sender.sendNew(data, method, data.uri, onResponse, options);
    }
    return {
      transactionId: request.id,
      callId: request.parts.callId,
      raw: request.wire.toString(),
    };
  }

  async ack(data: AckData): Promise<{ raw: string }> {
    return {
      raw: this.usages.invites.ack(this.inviteRequest(data.transactionId), data).toString(),
    };
  }

  async cancel(data: CancelData): Promise<{ raw: string }> {
    const request = this.inviteRequest(data.transactionId);
    if (request.finalReceived)
      throw new EngineError('invalid-state', 'the INVITE already has a final response');
    const headers = applicationHeaders(this.core.logger, data.headers, 'dialog');
    return { raw: this.usages.invites.cancel(request, headers.lines).toString() };
  }

  receiveResponse(response: SipResponse, inbound: InboundMessage): void {
    const fields = essentials(response);
    // A To tag whose dialog id could not travel on the wire is dropped here, like a response
    // that does not parse: the application never learns of a dialog it cannot name.
    if (dialogIdLength(fields.callId, fields.fromTag ?? '', fields.toTag ?? '') > LIMITS.idLength) {
      this.core.logger.info({ source: inbound.source }, 'response dropped: its To tag is too long');
      return;
    }
    const key = clientKey(fields.topVia.branch ?? '', fields.cseq.method);
    const transaction = this.core.transactions.clientTransaction(key);
    if (transaction)
      return transaction.receiveResponse({ status: response.status, message: response, inbound });
    if (this.usages.proxy.stray(response, fields, inbound)) return;
    if (
      fields.cseq.method === 'INVITE' &&
      response.status >= 200 &&
      response.status < 300 &&
      fields.toTag
    )
      this.usages.invites.strayAnswer(fields);
  }

  /** Everything a client transaction passes up: provisional, final, retransmitted 2xx. */
  response(
    request: ClientRequest,
    response: SipResponse,
    inbound: InboundMessage | undefined,
  ): void {
    const { status } = response;
    // RFC 3263 4.3: a 503 before anything else was heard moves the request to its next target.
    if (status === 503 && inbound && this.sender.failover(request, 503)) return;
    const fields = essentials(response);
    const { method } = request;
    const { invites, subscriptions, sessions } = this.usages;
    let dialog = request.dialog;
    if (request.invite) {
      const outcome = invites.response(request, response, fields);
      if (outcome === false) return;
      dialog = outcome;
    }
    const success = status >= 200 && status < 300;
    if (success && dialog && (method === 'INVITE' || method === 'UPDATE'))
      sessions.answered(dialog, response);
    if (success && method === 'SUBSCRIBE')
      dialog = subscriptions.confirmed(request, response, fields);
    if (!request.received(status)) {
      if (request.invite) invites.lateAnswer(request, dialog, status);
      return;
    }
    if (request.invite) {
      if (status < 200) invites.provisional(request);
      else invites.final(request);
    }
    if (status >= 200 && inbound) this.sender.challengedBy(request, status);
    request.deliver?.({
      transactionId: request.id,
      status,
      dialogId: dialog?.state === 'terminated' ? undefined : dialog?.id,
      raw: inbound ? inbound.data.toString() : response.toString(),
      source: inbound?.source ?? { ...request.destination },
      receivedAt: inbound?.receivedAt ?? Date.now(),
    });
  }

  timeout(request: ClientRequest, timer: 'B' | 'C' | 'F'): void {
    if (timer !== 'C' && this.sender.failover(request, 'timeout')) return;
    if (timer === 'C' && request.provisionalReceived && !request.finalReceived)
      this.usages.invites.cancel(request, []);
    this.fail(request, 408, 'Request Timeout');
  }

  unreachable(request: ClientRequest): void {
    if (this.sender.failover(request, 'unreachable')) return;
    this.fail(request, 503, 'Service Unavailable');
  }

  ended(request: ClientRequest): void {
    this.usages.subscriptions.ended(request);
    if (request.invite) this.usages.invites.ended(request);
    if (request.deliver && !this.sender.awaitsRetry(request))
      this.core.emit('transaction-end', request.id);
  }

  private inviteRequest(transactionId: string): ClientRequest {
    const request = this.core.transactions.client(transactionId);
    if (!request?.invite)
      throw new EngineError('unknown-transaction', `no INVITE client transaction ${transactionId}`);
    return request;
  }

  /** A locally generated final response (timeout, unreachable), as the wire contract asks. */
  private fail(request: ClientRequest, status: number, reason: string): void {
    if (request.finalReceived || request.transaction?.terminated) return;
    this.response(request, request.localResponse(status, reason), undefined);
  }
}
