/**
 * The INVITE usage as UAS (RFC 3261 13.3, 14.2, 9.2): our 2xx retransmitted until the ACK (and
 * a BYE when none comes), one re-INVITE at a time, CANCEL answered with 200 and 487, and a BYE
 * in an early dialog ending its INVITE.
 */
import { newTransactionId } from '../../transaction/identifiers';
import { InviteServerTransaction } from '../../transaction/invite-server-transaction';
import { serverKey } from '../../transaction/matching';
import type { Essentials } from '../../transaction/message-essentials';
import type { InboundMessage } from '../../transport/transport';
import type { UserAgentCore } from '../core';
import type { Dialog } from '../dialog/dialog';
import type { Rejection } from '../server/request-checks';
import type { OpenRequest, ServerRequest } from '../server/server-request';

export interface InviteServerHost {
  sendInternal(dialog: Dialog, method: string, lines: string[]): void;
}

export class InviteServer {
  constructor(
    private readonly core: UserAgentCore,
    private readonly host: InviteServerHost,
  ) {}

  /** RFC 3261 14.2: one re-INVITE at a time; glare with ours gets 491, a second of theirs 500. */
  reinvite(open: OpenRequest, dialog: Dialog): Rejection | undefined {
    const inProgress = dialog.invite.reinviteInProgress;
    if (inProgress === 'uac') return { status: 491 };
    if (inProgress === 'uas')
      return { status: 500, headers: [`Retry-After: ${Math.floor(Math.random() * 10)}`] };
    dialog.invite.beginReinvite('uas');
    open.holdsReinvite = true;
    return undefined;
  }

  /** Our response to an INVITE went out: what it does to the dialog. */
  responded(
    request: ServerRequest,
    open: OpenRequest,
    dialog: Dialog,
    status: number,
    wire: Buffer,
  ): void {
    const createsDialog = open.essentials.toTag === undefined;
    if (status >= 200 && status < 300) {
      dialog.confirm();
      this.retransmitUntilAck(request, open.essentials.cseq.seq, dialog, wire);
    }
    if (createsDialog && status > 100 && status < 300) {
      if (!dialog.announced) this.core.dialogs.announce(dialog, 'early');
      if (status >= 200) this.core.dialogs.announce(dialog, 'confirmed');
    }
    if (status >= 300 && dialog.state === 'early') this.core.dialogs.end(dialog, 'call rejected');
  }

  /** An ACK ends a non-2xx INVITE transaction, or (for a 2xx) the dialog's retransmissions. */
  receiveAck(fields: Essentials, key: string, inbound: InboundMessage): void {
    const { transactions } = this.core;
    const invite = transactions.serverByKey(key);
    if (invite?.transaction instanceof InviteServerTransaction && invite.transaction.receiveAck())
      return;
    if (transactions.absorbsAck(key)) return;
    const dialog = this.core.dialogs.find(fields.callId, fields.toTag, fields.fromTag);
    const inviteTransactionId = dialog?.ackReceived(fields.cseq.seq);
    if (!dialog || inviteTransactionId === undefined) return; // a retransmitted or stray ACK
    const transactionId = newTransactionId();
    this.core.emit('request', {
      transactionId,
      method: 'ACK',
      callId: fields.callId,
      dialogId: dialog.id,
      inviteTransactionId,
      raw: inbound.data.toString(),
      source: inbound.source,
      receivedAt: inbound.receivedAt,
    });
    // An ACK has no transaction of its own: whatever was keyed by its id can go at once.
    this.core.emit('transaction-end', transactionId);
  }

  /** RFC 3261 9.2: 200 to the CANCEL, 487 to the INVITE, then the application hears of it. */
  receiveCancel(cancel: ServerRequest, open: OpenRequest): void {
    const { transactions } = this.core;
    const key = serverKey(open.essentials, 'INVITE');
    const invite = transactions.serverByKey(key);
    // An INVITE already answered still matches (200, and nothing more to do) while it lingers.
    if (!invite)
      return cancel.answerLocally({ status: transactions.lingeringState(key) ? 200 : 481 });
    cancel.answerLocally({ status: 200 });
    if (invite.proxy) return invite.proxy.cancel();
    if (!invite.open) return;
    const { dialog } = invite.open;
    invite.canceled = true;
    invite.answerLocally({ status: 487 });
    if (dialog?.state === 'early') this.core.dialogs.end(dialog, 'canceled');
    this.core.emit('cancel', {
      transactionId: invite.id,
      raw: open.inbound.data.toString(),
      source: open.inbound.source,
    });
  }

  /** RFC 3261 15.1.2: a BYE in our early dialog ends the INVITE too, with a 487. */
  byeReceived(dialog: Dialog): void {
    const invite = this.core.transactions.server(dialog.inviteTransactionId);
    if (dialog.role === 'uas' && invite?.open) {
      invite.canceled = true;
      invite.answerLocally({ status: 487 });
    }
  }

  /** RFC 3261 13.3.1.4: our 2xx goes out again until the ACK; without one, a BYE ends the call. */
  private retransmitUntilAck(
    request: ServerRequest,
    cseq: number,
    dialog: Dialog,
    wire: Buffer,
  ): void {
    const { timers, logger } = this.core;
    const retransmitter = request.retransmit(wire, timers, timers.t2, () => {
      logger.info({ dialogId: dialog.id }, 'no ACK for our 2xx: ending the dialog');
      this.host.sendInternal(dialog, 'BYE', ['Reason: SIP;cause=408;text="ACK Timeout"']);
      this.core.dialogs.end(dialog, 'ack timeout');
    });
    dialog.invite.awaitAck(cseq, request.id, retransmitter);
  }
}
