/**
 * A request received from the network, for as long as its server transaction lives (RFC 3261
 * 17.2): its transaction, and until the final response what answering it takes. That part is
 * dropped then, because a finished transaction lingers 32 s (Timers J and L) for
 * retransmissions only, and at 1,000 calls/s tens of thousands would each keep a parsed request.
 */
import type { SipRequest } from 'drachtio-sip';
import { detached } from '../../detached-string';
import { newTransactionId } from '../../transaction/identifiers';
import { InviteServerTransaction } from '../../transaction/invite-server-transaction';
import type { Essentials } from '../../transaction/message-essentials';
import { NonInviteServerTransaction } from '../../transaction/non-invite-server-transaction';
import { withTag, writeResponse } from '../../transaction/outgoing-message';
import type { ServerEntry } from '../../transaction/transaction-table';
import type { ServerChannel } from '../../transaction/transaction';
import type { TimerSettings } from '../../transaction/timer-settings';
import type { InboundMessage } from '../../transport/transport';
import type { Dialog } from '../dialog/dialog';
import { Retransmitter } from '../retransmitter';
import { reasonPhrase } from './reason-phrases';
import type { Rejection } from './request-checks';

/** A request still waiting for its final response. */
export interface OpenRequest {
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

export class ServerRequest implements ServerEntry {
  readonly id = newTransactionId();
  readonly key: string;
  readonly method: string;
  readonly transaction: InviteServerTransaction | NonInviteServerTransaction;
  /** Set for an INVITE outside a dialog, to spot merged requests (RFC 3261 8.2.2.2). */
  mergeKey: string | undefined;
  canceled = false;
  /** Some response, provisional or final, has gone out. */
  responded = false;
  open: OpenRequest | undefined;
  /** Set once the request is proxied: the proxy core answers it, and takes its CANCEL. */
  proxy: { cancel(): void } | undefined;

  constructor(
    open: OpenRequest,
    key: string,
    channel: ServerChannel,
    timers: TimerSettings,
    onTerminated: (request: ServerRequest) => void,
    /** The final response went out: what only an open request holds can be let go. */
    private readonly onFinished: (request: ServerRequest) => void = () => undefined,
  ) {
    this.method = open.request.method;
    // Built from the Via branch: a slice of the request's text, which the transaction outlives
    // (an INVITE answered non-2xx waits for its ACK after the request is let go).
    this.key = detached(key);
    this.open = open;
    const ended = () => onTerminated(this);
    this.transaction =
      this.method === 'INVITE'
        ? new InviteServerTransaction(this.id, channel, timers, ended)
        : new NonInviteServerTransaction(this.id, channel, timers, ended);
  }

  /**
   * Sends a response (the application's or the engine's) through the transaction; a final one
   * closes the request. Returns the response as it went out.
   */
  send(
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
      (this.method === 'INVITE' && status > 100 && status < 300) ||
      (this.method === 'SUBSCRIBE' && status >= 200 && status < 300);
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
    this.relay(status, wire);
    return wire;
  }

  /** Sends a response written elsewhere (the proxy's) through the transaction. */
  relay(status: number, wire: Buffer): void {
    this.transaction.respond(status, wire);
    this.responded = true;
    if (status >= 200) this.finish();
  }

  /**
   * A response the engine sends on its own (rejections, 100 Trying, 487, 200 to CANCEL and
   * PRACK); nothing once a final response has gone out.
   */
  answerLocally(rejection: Rejection): void {
    if (!this.open) return;
    const { status } = rejection;
    this.send(
      this.open,
      status,
      rejection.reason ?? reasonPhrase(status),
      rejection.headers ?? [],
      undefined,
    );
  }

  /**
   * Our 2xx (RFC 3261 13.3.1.4) or reliable provisional (RFC 3262 3) to this INVITE, sent again
   * through its transaction's channel until `cap`-bounded doubling intervals end in a give-up.
   */
  retransmit(
    wire: Buffer,
    timers: TimerSettings,
    cap: number,
    onGiveUp: () => void,
  ): Retransmitter {
    const transaction = this.transaction as InviteServerTransaction;
    return new Retransmitter(
      () => transaction.resend(wire),
      timers,
      transaction.reliable,
      cap,
      onGiveUp,
    );
  }

  /** The request has its final response: it, its deadline and any re-INVITE lock go. */
  finish(): void {
    const { open } = this;
    if (!open) return;
    this.open = undefined;
    clearTimeout(open.deadline);
    if (open.holdsReinvite) open.dialog?.invite.endReinvite('uas');
    this.onFinished(this);
  }
}
