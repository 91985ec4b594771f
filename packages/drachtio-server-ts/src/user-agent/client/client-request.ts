/**
 * A request sent for the application or the engine, for as long as its client transaction
 * lives: what was sent, where, and what the application has been told. An INVITE's usage
 * (forks, CANCEL, the 422 retry) keeps its own state in `invite`.
 */
import { SipResponse } from 'drachtio-sip';
import type { EngineResponse, RequestOptions } from '../../engine-api';
import { newTransactionId } from '../../transaction/identifiers';
import { clientKey } from '../../transaction/matching';
import { writeRequest, type RequestParts } from '../../transaction/outgoing-message';
import type { ClientTransaction } from '../../transaction/transaction-table';
import type { Targets } from '../../transport/dns/failover';
import type { Connection, Destination, InboundMessage } from '../../transport/transport';
import type { Dialog } from '../dialog/dialog';
import { OutgoingInvite } from '../invite/outgoing-invite';

/** A response as the client state machines carry it up: parsed, with where it came from. */
export interface ReceivedResponse {
  status: number;
  message: SipResponse;
  /** Undefined for a response generated here (408 on timeout, 503 when unreachable). */
  inbound: InboundMessage | undefined;
}

export class ClientRequest {
  readonly id = newTransactionId();
  private sentParts: RequestParts;
  private sentWire: Buffer;
  private sentKey: string;
  transaction: ClientTransaction<ReceivedResponse> | undefined;
  /** The INVITE usage's state; undefined for any other method. */
  readonly invite: OutgoingInvite | undefined;
  /** The dialog a 2xx (for SUBSCRIBE: also an early NOTIFY) established. */
  established: Dialog | undefined;
  private provisional = false;
  private final = false;
  private sentTo: Destination;
  /** RFC 3263 4.3: where a request outside a dialog may go next (none in a dialog). */
  targets: Targets | undefined;

  constructor(
    parts: RequestParts,
    /** `parts` as written for the wire. */
    wire: Buffer,
    branch: string,
    destination: Destination,
    readonly connection: Connection | undefined,
    /** Delivery to the application; engine-originated requests have none. */
    readonly deliver: ((response: EngineResponse) => void) | undefined,
    /** The dialog a request inside a dialog was sent in. */
    readonly dialog: Dialog | undefined,
    /** RFC 3262: the request offered 100rel, so reliable provisionals are PRACKed. */
    readonly offered100rel: boolean,
    /** The ACK and PRACK the application sends itself instead of the engine. */
    readonly owns: RequestOptions = {},
  ) {
    this.sentParts = parts;
    this.sentWire = wire;
    this.sentKey = clientKey(branch, parts.method);
    this.sentTo = destination;
    this.invite = parts.method === 'INVITE' ? new OutgoingInvite() : undefined;
  }

  get parts(): Readonly<RequestParts> {
    return this.sentParts;
  }

  /** Where the request went (its current target, after any failover). */
  get destination(): Destination {
    return this.sentTo;
  }

  get method(): string {
    return this.sentParts.method;
  }

  /** The request as it went out. */
  get wire(): Buffer {
    return this.sentWire;
  }

  /** The matching key of its current client transaction (RFC 3261 17.1.3). */
  get key(): string {
    return this.sentKey;
  }

  get provisionalReceived(): boolean {
    return this.provisional;
  }

  get finalReceived(): boolean {
    return this.final;
  }

  /** A response reached the application side: true when it is the first final one. */
  received(status: number): boolean {
    if (status < 200) {
      this.provisional = true;
      return true;
    }
    if (this.final) return false;
    this.final = true;
    return true;
  }

  /** RFC 4028 7.4: the same request again, under the same id, with a new branch and CSeq. */
  resend(parts: RequestParts, branch: string): void {
    this.sentParts = parts;
    this.sentWire = writeRequest(parts);
    this.sentKey = clientKey(branch, parts.method);
  }

  /** RFC 3263 4.3: the same request to the next target, in a new transaction (new branch). */
  retarget(parts: RequestParts, wire: Buffer, branch: string, destination: Destination): void {
    this.sentParts = parts;
    this.sentWire = wire;
    this.sentKey = clientKey(branch, parts.method);
    this.sentTo = destination;
  }

  /**
   * A final response generated here (408 on a timeout, 503 when unreachable), built as a
   * message object from what was sent, as RFC 3261 8.1.3.1 has the transaction layer report it.
   */
  localResponse(status: number, reason: string): SipResponse {
    const { via, from, to, callId, cseq, method } = this.sentParts;
    return new SipResponse(status, reason, {
      headers: [
        ['Via', via],
        ['From', from],
        ['To', to],
        ['Call-ID', callId],
        ['CSeq', `${cseq} ${method}`],
      ],
    });
  }
}
