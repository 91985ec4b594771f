/**
 * RFC 3262 sequence numbers in one dialog: the RSeq of our reliable provisionals, each
 * retransmitted until its PRACK (3), and the highest RSeq received from the peer, below which a
 * provisional is a retransmission (4).
 */
import type { Retransmitter } from '../retransmitter';

export class ProvisionalSequence {
  private readonly unacknowledged = new Map<number, Retransmitter>();

  constructor(
    private local: number,
    private remote: number | undefined,
  ) {}

  /** The RSeq of our next reliable provisional (RFC 3262 3: one higher each time). */
  nextLocal(): number {
    this.local += 1;
    return this.local;
  }

  /** Our reliable provisional with this RSeq goes out again (by `retransmitter`) until PRACKed. */
  awaitPrack(rseq: number, retransmitter: Retransmitter): void {
    this.unacknowledged.set(rseq, retransmitter);
  }

  /** A PRACK for this RSeq arrived: true when it acknowledges one we are retransmitting. */
  prackReceived(rseq: number): boolean {
    const retransmitter = this.unacknowledged.get(rseq);
    if (!retransmitter) return false;
    retransmitter.stop();
    this.unacknowledged.delete(rseq);
    return true;
  }

  /** Our provisional with this RSeq was never PRACKed. */
  gaveUp(rseq: number): void {
    this.unacknowledged.delete(rseq);
  }

  /** A final response makes provisional retransmissions moot; a late PRACK still finds its RSeq. */
  stopRetransmissions(): void {
    for (const retransmitter of this.unacknowledged.values()) retransmitter.stop();
  }

  /** RFC 3262 4: false for a provisional at or below the highest RSeq seen (a retransmission). */
  acceptRemote(rseq: number): boolean {
    if (this.remote !== undefined && rseq <= this.remote) return false;
    this.remote = rseq;
    return true;
  }

  /** Whether the peer sent a reliable provisional with this RSeq (what a PRACK may name). */
  receivedRemote(rseq: number): boolean {
    return this.remote !== undefined && rseq >= 1 && rseq <= this.remote;
  }

  stop(): void {
    this.stopRetransmissions();
    this.unacknowledged.clear();
  }

  toJSON(): { local: number; remote: number | undefined } {
    return { local: this.local, remote: this.remote };
  }
}
