/**
 * Starts and tracks the client transactions of the UA core (RFC 3261 17.1): the request over
 * the transport the path MTU allows (18.1.1), its state machine, the ACK for a non-2xx final
 * (17.1.1.3), a CANCEL's own transaction (9.1), and the transaction table's entries.
 */
import type { SipResponse } from 'drachtio-sip';
import type { EngineResponse, RequestOptions } from '../../engine-api';
import { newBranch } from '../../transaction/identifiers';
import { InviteClientTransaction } from '../../transaction/invite-client-transaction';
import { clientKey } from '../../transaction/matching';
import { writeRequest, type RequestParts } from '../../transaction/outgoing-message';
import { NonInviteClientTransaction } from '../../transaction/non-invite-client-transaction';
import type { Channel, Transaction } from '../../transaction/transaction';
import { isIPv6Address } from '../../transport/transport-layer';
import type { Outcome } from '../../transport/dns/failover';
import type { Destination, InboundMessage } from '../../transport/transport';
import { isReliable } from '../../transport/transport-kinds';
import type { UserAgentCore } from '../core';
import type { Dialog } from '../dialog/dialog';
import { ClientRequest, type ReceivedResponse } from './client-request';
import { requestChannel } from './request-channel';

/** What the user agent hears from its client transactions. */
export interface ClientEvents {
  /** Provisional and final responses, and retransmitted 2xx. */
  response(
    request: ClientRequest,
    response: SipResponse,
    inbound: InboundMessage | undefined,
  ): void;
  /** Timer B or F (no response), or Timer C (no final response after a provisional). */
  timeout(request: ClientRequest, timer: 'B' | 'C' | 'F'): void;
  /** The transport could not deliver the request. */
  unreachable(request: ClientRequest): void;
  /** The request's transaction is over (not one replaced by a 422 retry). */
  ended(request: ClientRequest): void;
}

export class ClientTransactions {
  constructor(
    private readonly core: UserAgentCore,
    private readonly events: ClientEvents,
  ) {}

  /** Sends `parts` in a new client transaction (its Via is filled in here). */
  start(
    parts: RequestParts,
    requested: Destination,
    dialog: Dialog | undefined,
    deliver: ((response: EngineResponse) => void) | undefined,
    offered100rel: boolean,
    owns: RequestOptions = {},
  ): ClientRequest {
    const branch = newBranch();
    const { destination, wire } = this.written(parts, requested, branch);
    const connection =
      dialog?.connection && !dialog.connection.closed && isReliable(destination.transport)
        ? dialog.connection
        : undefined;
    const request = new ClientRequest(
      parts,
      wire,
      branch,
      destination,
      connection,
      deliver,
      dialog,
      offered100rel,
      owns,
    );
    this.core.transactions.addClient(request);
    this.launch(request);
    return request;
  }

  /**
   * RFC 3263 4.3: after a transport error, a timeout or a 503, and before any other response,
   * the request goes to its next target in a new client transaction. False when none is left.
   */
  failover(request: ClientRequest, outcome: Outcome): boolean {
    if (request.provisionalReceived || request.finalReceived) return false;
    const next = request.targets?.next(outcome);
    if (!next) return false;
    this.core.logger.info(
      { from: request.destination, to: next, outcome },
      'request failed over to the next target (RFC 3263 4.3)',
    );
    const branch = newBranch();
    const parts = { ...request.parts };
    const { destination, wire } = this.written(parts, next, branch);
    request.retarget(parts, wire, branch, destination);
    this.launch(request);
    return true;
  }

  /**
   * The request with our Via for `requested`, over TCP instead when it is too large for UDP
   * (RFC 3261 18.1.1, the --mtu setting).
   */
  private written(
    parts: RequestParts,
    requested: Destination,
    branch: string,
  ): { destination: Destination; wire: Buffer } {
    const { transport, outbound } = this.core;
    let destination = requested;
    parts.via = transport.viaFor(destination, branch);
    let wire = writeRequest(parts);
    if (
      destination.transport === 'udp' &&
      wire.length > outbound.mtu &&
      transport.supports('tcp', isIPv6Address(destination.address))
    ) {
      destination = { ...destination, transport: 'tcp' };
      parts.via = transport.viaFor(destination, branch);
      wire = writeRequest(parts);
    }
    return { destination, wire };
  }

  /** RFC 4028 7.4: the request again under the same id, CSeq one higher, in a new transaction. */
  restart(request: ClientRequest, headers: readonly string[]): void {
    const branch = newBranch();
    request.resend(
      {
        ...request.parts,
        via: this.core.transport.viaFor(request.destination, branch),
        cseq: request.parts.cseq + 1,
        headers,
      },
      branch,
    );
    this.launch(request);
  }

  /** The CANCEL's own non-INVITE transaction; its responses concern nobody but itself. */
  startCancel(invite: ClientRequest, wire: Buffer): void {
    const key = clientKey(/branch=([^;\s]+)/i.exec(invite.parts.via)?.[1] ?? '', 'CANCEL');
    const transaction: NonInviteClientTransaction<ReceivedResponse> =
      new NonInviteClientTransaction<ReceivedResponse>(
        invite.id,
        wire,
        this.channel(invite, () => transaction.terminate()),
        this.core.timers,
        { onResponse: () => undefined, onTimeout: () => undefined },
        () => this.core.transactions.removeClientTransaction(key, transaction),
      );
    this.core.transactions.addClientTransaction(key, transaction);
  }

  /** Starts the client transaction that carries the request as it now is. */
  private launch(request: ClientRequest): void {
    const { transactions, timers } = this.core;
    const { key, wire, parts } = request;
    const user = {
      onResponse: (response: ReceivedResponse) =>
        this.events.response(request, response.message, response.inbound),
      onTimeout: (timer: 'B' | 'C' | 'F') => this.events.timeout(request, timer),
      buildAck: (response: ReceivedResponse) => ackForNon2xx(parts, response.message),
    };
    // The transaction whose send failed ends; only the request's current one reports it, so
    // a late failure of one replaced by a failover (its ACK, say) leaves the request alone.
    const launched: { transaction: typeof request.transaction } = { transaction: undefined };
    const channel = this.channel(request, () => {
      if (request.transaction === launched.transaction) this.events.unreachable(request);
      launched.transaction?.terminate();
    });
    const onTerminated = (transaction: Transaction) => {
      transactions.removeClientTransaction(key, transaction as typeof request.transaction & {});
      if (request.transaction !== transaction) return; // replaced by a 422 retry or a failover
      transactions.removeClient(request);
      this.events.ended(request);
    };
    const transaction =
      parts.method === 'INVITE'
        ? new InviteClientTransaction(request.id, wire, channel, timers, user, onTerminated)
        : new NonInviteClientTransaction(request.id, wire, channel, timers, user, onTerminated);
    launched.transaction = transaction;
    request.transaction = transaction;
    transactions.addClientTransaction(key, transaction);
  }

  private channel(request: ClientRequest, onFailure: () => void): Channel {
    return requestChannel(this.core, request.destination, request.connection, onFailure);
  }
}

/** RFC 3261 17.1.1.3: the ACK for a non-2xx final belongs to the INVITE transaction. */
function ackForNon2xx(parts: Readonly<RequestParts>, response: SipResponse): Buffer {
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
