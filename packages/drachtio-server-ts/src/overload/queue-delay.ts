/**
 * How long a datagram now arriving on our UDP sockets will wait before the engine reads it:
 * what the kernel holds in their receive queues divided by the rate the engine drains them.
 * The event loop cannot see this wait (a busy loop looks the same whether the queue behind it
 * is empty or a second long), and it is exactly what makes peers retransmit and calls fail.
 */

/**
 * What the kernel accounts for a queued datagram beyond its payload: the sk_buff and the
 * rounding of its allocation (a 600-byte SIP message counts as 1,280 bytes, a 1,000-byte one
 * as 2,304). An estimate: the delay is as good as this within about a quarter.
 */
const KERNEL_BYTES_PER_DATAGRAM = 768;
/** A queue that nothing drained: reported as this long, which is long enough to shed hard. */
export const MAX_DELAY_MS = 10_000;
/**
 * Fewer queued datagrams than libuv reads from a socket in one go (32) are a hiccup (a GC
 * pause, a burst), not overload: counted as no delay, so a lone request is not refused for it.
 */
const HICCUP_DATAGRAMS = 32;
/** Weight of the newest interval in a falling drain rate: smooths the batches libuv reads. */
const RATE_WEIGHT = 0.25;

export class QueueDelay {
  private datagrams = 0;
  private bytes = 0;
  /** Datagrams read per second, smoothed. */
  private drainRate = 0;
  /** Mean payload of the datagrams read lately. */
  private meanSize = 600;

  /** A datagram the engine read from one of the sockets. */
  read(size: number): void {
    this.datagrams++;
    this.bytes += size;
  }

  /** Whether anything was read since the last estimate. */
  get active(): boolean {
    return this.datagrams > 0;
  }

  /** The delay in ms, from the queued bytes now and the reads over the last `elapsedMs`. */
  estimate(queuedBytes: number, elapsedMs: number): number {
    const rate = (this.datagrams * 1000) / Math.max(elapsedMs, 1);
    // Up at once (the engine just showed it drains that fast; after a quiet spell the smoothed
    // rate would be near zero and the first burst look like a long wait), down gradually.
    this.drainRate = Math.max(rate, this.drainRate + RATE_WEIGHT * (rate - this.drainRate));
    if (this.datagrams > 0) this.meanSize = this.bytes / this.datagrams;
    this.datagrams = 0;
    this.bytes = 0;
    const queued = queuedBytes / (this.meanSize + KERNEL_BYTES_PER_DATAGRAM);
    if (queued < HICCUP_DATAGRAMS) return 0;
    if (this.drainRate <= 0) return MAX_DELAY_MS;
    return Math.min(MAX_DELAY_MS, (queued * 1000) / this.drainRate);
  }
}
