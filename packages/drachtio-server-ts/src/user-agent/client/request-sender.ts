/**
 * How each request of ours is put together before its client transaction starts: outside a
 * dialog from the application's URI and headers (RFC 3261 8.1.1), inside one from the dialog
 * (12.2.1.1), again with credentials after a 401/407 (22.2), or by the engine itself (PRACK,
 * session refreshes, BYE on timeouts).
 */
import type { SendRequestData } from 'drachtio-protocol';
import { parseNameAddr, splitList } from 'drachtio-sip';
import { EngineError, type EngineResponse, type RequestOptions } from '../../engine-api';
import { newCallId, newTag } from '../../transaction/identifiers';
import { transactionTimeout } from '../../transaction/timer-settings';
import { withTag, type RequestParts } from '../../transaction/outgoing-message';
import { hostport } from '../../transport/contact';
import { Targets, type Outcome } from '../../transport/dns/failover';
import type { Destination, LocalAddress } from '../../transport/transport';
import { addContentType, applicationHeaders, TARGET_REFRESH_METHODS } from '../application-headers';
import type { UserAgentCore } from '../core';
import type { Dialog } from '../dialog/dialog';
import { hasOptionTag, type HeaderList } from '../headers/header-list';
import type { Subscriptions } from '../subscription/subscriptions';
import { ChallengedRequests } from './challenged-requests';
import type { ClientRequest } from './client-request';
import type { ClientTransactions } from './client-transactions';
import { chosenCallId, chosenCSeq, isCredentials, separateIdentity } from './request-identity';

type Deliver = (response: EngineResponse) => void;

export class RequestSender {
  /** Requests answered 401/407, for a retry with credentials (`retryOf`). */
  readonly challenged: ChallengedRequests<ClientRequest>;

  constructor(
    private readonly core: UserAgentCore,
    private readonly clients: ClientTransactions,
    private readonly subscriptions: Subscriptions,
  ) {
    this.challenged = new ChallengedRequests(
      transactionTimeout(core.timers),
      core.limits.maxTransactions,
      (id) => this.challengeForgotten(id),
    );
  }

  /** A request outside a dialog, identified as the application says (or by the engine). */
  async sendNew(
    data: SendRequestData,
    method: string,
    uri: string,
    deliver: Deliver,
    owns: RequestOptions = {},
  ): Promise<ClientRequest> {
    const headers = applicationHeaders(this.core.logger, data.headers, 'new-request');
    addContentType(headers, data.body);
    // Checked first: a malformed value is the application's mistake whatever the target.
    const { identity, others: lines } = separateIdentity(headers.lines);
    const callId = chosenCallId(identity.get('call-id') ?? []);
    const cseq = chosenCSeq(identity.get('cseq') ?? [], method);
    const route = headers.values.get('route');
    const preloaded = route ? splitList(route)[0] : undefined;
    const target = data.proxy ?? preloaded ?? this.core.outbound.proxy ?? uri;
    let destinations: Destination[];
    let destination: Destination;
    let local: LocalAddress;
    try {
      destinations = await this.core.outbound.resolver.resolve(target);
      // Only targets over a transport and address family we have (RFC 3263 4.1), or over a
      // registered client's own connection (a WebSocket client's .invalid host).
      destinations = destinations.filter((d) => this.core.transport.reaches(d));
      const [first] = destinations;
      if (!first) throw new Error('no target over a transport this server listens on');
      destination = first;
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
      body: data.body,
    };
    const offered = `${headers.values.get('supported') ?? ''},${headers.values.get('require') ?? ''}`;
    const offered100rel = method === 'INVITE' && hasOptionTag(offered, '100rel');
    const request = this.startNew(parts, destination, deliver, offered100rel, owns);
    // Set after the first send: a delivery failure is only ever reported asynchronously.
    request.targets = new Targets(destinations);
    return request;
  }

  /** A request in `dialog`: its Call-ID, tags, route set and next CSeq (RFC 3261 12.2.1.1). */
  async sendInDialog(
    dialog: Dialog,
    method: string,
    headers: HeaderList,
    body: string | undefined,
    deliver: Deliver | undefined,
  ): Promise<ClientRequest> {
    let destination: Destination;
    try {
      destination = await this.core.outbound.resolver.first(dialog.nextHop, dialog.transport);
    } catch (error) {
      throw new EngineError(
        'send-failed',
        `cannot reach ${dialog.nextHop}: ${(error as Error).message}`,
      );
    }
    if (TARGET_REFRESH_METHODS.has(method) && !headers.values.has('contact'))
      headers.lines.push(this.core.transport.contactFor(destination));
    const parts: RequestParts = {
      method,
      uri: dialog.remoteTarget,
      via: '',
      from: dialog.localUri,
      to: dialog.remoteUri,
      callId: dialog.callId,
      cseq: 0,
      routes: dialog.routeSet,
      headers: headers.lines,
      body,
    };
    return this.startInDialog(parts, destination, dialog, deliver);
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

  /**
   * RFC 3261 22.2: the challenged request again, from what was sent, with the application's
   * credentials in place of any earlier ones; CSeq one higher, new branch, new transaction.
   */
  retry(
    transactionId: string,
    data: SendRequestData,
    method: string,
    deliver: Deliver,
  ): ClientRequest {
    const challenged = this.challenged.get(transactionId);
    if (!challenged) {
      if (this.core.transactions.client(transactionId))
        throw new EngineError(
          'invalid-state',
          `${transactionId} has no challenge to answer: no 401/407, or already retried`,
        );
      throw new EngineError('unknown-transaction', `no challenged request ${transactionId}`);
    }
    const { parts, dialog } = challenged;
    if (method !== parts.method)
      throw new EngineError(
        'invalid-argument',
        `retryOf ${transactionId} re-sends a ${parts.method}, not a ${method}`,
      );
    this.challenged.take(transactionId);
    this.challengeForgotten(transactionId);
    const credentials = applicationHeaders(this.core.logger, data.headers, 'dialog');
    const retried: RequestParts = {
      ...parts,
      headers: [
        ...(parts.headers ?? []).filter((line) => !isCredentials(line)),
        ...credentials.lines,
      ],
    };
    if (dialog) return this.startInDialog(retried, challenged.destination, dialog, deliver);
    retried.cseq = parts.cseq + 1;
    return this.startNew(
      retried,
      challenged.destination,
      deliver,
      challenged.offered100rel,
      challenged.owns,
    );
  }

  /** The application was answered 401/407: its request is kept for a `retryOf`. */
  challengedBy(request: ClientRequest, status: number): void {
    if ((status === 401 || status === 407) && request.deliver)
      this.challenged.remember(request.id, request);
  }

  /** RFC 3263 4.3: moves a request outside a dialog to its next target; false when none. */
  failover(request: ClientRequest, outcome: Outcome): boolean {
    return request.dialog === undefined && this.clients.failover(request, outcome);
  }

  /** Whether the transaction's end must wait: its request may still be retried. */
  awaitsRetry(request: ClientRequest): boolean {
    return this.challenged.has(request.id);
  }

  private startNew(
    parts: RequestParts,
    destination: Destination,
    deliver: Deliver,
    offered100rel: boolean,
    owns: RequestOptions,
  ): ClientRequest {
    const request = this.clients.start(parts, destination, undefined, deliver, offered100rel, owns);
    if (parts.method === 'SUBSCRIBE') this.subscriptions.sent(request);
    return request;
  }

  private startInDialog(
    parts: RequestParts,
    destination: Destination,
    dialog: Dialog,
    deliver: Deliver | undefined,
  ): ClientRequest {
    const reinvite = parts.method === 'INVITE';
    if (reinvite) {
      if (dialog.invite.reinviteInProgress) {
        throw new EngineError(
          'invalid-state',
          'a re-INVITE is already in progress in this dialog (RFC 3261 14.1)',
        );
      }
      dialog.invite.beginReinvite('uac');
      dialog.sentSdp(parts.body);
    }
    parts.cseq = dialog.nextLocalSeq();
    try {
      return this.clients.start(parts, destination, dialog, deliver, false);
    } catch (error) {
      if (reinvite) dialog.invite.endReinvite('uac');
      throw error;
    }
  }

  /** A challenged request left the memory: once its transaction is over too, its id is free. */
  private challengeForgotten(transactionId: string): void {
    if (!this.core.transactions.client(transactionId))
      this.core.emit('transaction-end', transactionId);
  }
}
