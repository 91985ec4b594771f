/**
 * The INVITE usage's state in one dialog (RFC 3261 13-15): the re-INVITE in progress, if any,
 * and the ACKs. A UAS retransmits its 2xx until the ACK with that CSeq arrives (13.3.1.4); a UAC
 * keeps the ACK it sent, to send it again when the 2xx is retransmitted (13.2.2.4).
 */
import type { Retransmitter } from '../retransmitter';

/** Which side sent the re-INVITE that has no final response yet. */
export type ReinviteSide = 'uac' | 'uas';

interface AwaitedAck {
  cseq: number;
  inviteTransactionId: string;
  retransmitter: Retransmitter;
}

export class InviteSession {
  private reinvite: ReinviteSide | undefined;
  private awaited: AwaitedAck | undefined;
  private lastAck: { cseq: number; data: Buffer } | undefined;

  /** RFC 3261 14: the side whose re-INVITE is in progress, if any. */
  get reinviteInProgress(): ReinviteSide | undefined {
    return this.reinvite;
  }

  /** One re-INVITE at a time (RFC 3261 14.1, 14.2): the caller checked that none is in progress. */
  beginReinvite(side: ReinviteSide): void {
    this.reinvite = side;
  }

  /** The re-INVITE got its final response (or gave up). */
  endReinvite(side: ReinviteSide): void {
    if (this.reinvite === side) this.reinvite = undefined;
  }

  /** UAS: our 2xx with this CSeq goes out again (by `retransmitter`) until its ACK. */
  awaitAck(cseq: number, inviteTransactionId: string, retransmitter: Retransmitter): void {
    this.awaited?.retransmitter.stop();
    this.awaited = { cseq, inviteTransactionId, retransmitter };
  }

  /** UAS: an ACK arrived; the INVITE transaction it acknowledges, or undefined for a stray one. */
  ackReceived(cseq: number): string | undefined {
    const awaited = this.awaited;
    if (!awaited || awaited.cseq !== cseq) return undefined;
    awaited.retransmitter.stop();
    this.awaited = undefined;
    return awaited.inviteTransactionId;
  }

  /** Nothing in progress and nothing kept: the dialog may let it go until it is needed again. */
  get idle(): boolean {
    return this.reinvite === undefined && this.awaited === undefined && this.lastAck === undefined;
  }

  /** UAC: the ACK sent for the 2xx with this CSeq. */
  ackSent(cseq: number, data: Buffer): void {
    this.lastAck = { cseq, data };
  }

  /** UAC: the ACK already sent for the 2xx with this CSeq, if any. */
  ackFor(cseq: number): Buffer | undefined {
    return this.lastAck?.cseq === cseq ? this.lastAck.data : undefined;
  }

  stop(): void {
    this.awaited?.retransmitter.stop();
    this.awaited = undefined;
  }
}
