/**
 * 100 Trying only for an INVITE its application is slow to answer. RFC 3261 17.2.1 asks for
 * it when the TU will not respond within 200 ms; most applications answer (180, 200, 486...)
 * well before, and then the 100 is a datagram sent, and read by the peer, for nothing: a third
 * of what the engine sends in a simple call. The peer's INVITE is only retransmitted after
 * T1, so waiting a fraction of that is invisible to it.
 *
 * One timer serves every waiting INVITE: they wait the same time, so the queue is in due order.
 */
import type { ServerRequest } from './server-request';

/** The longest an INVITE goes without a response (RFC 3261 17.2.1 allows 200 ms). */
const MAX_DELAY_MS = 100;

export class DeferredTrying {
  private readonly waiting: Array<{ request: ServerRequest; due: number }> = [];
  private head = 0;
  private timer: NodeJS.Timeout | undefined;
  private readonly delay: number;

  /** `t1`: the peer retransmits its INVITE after T1, so the 100 goes well before that. */
  constructor(t1: number) {
    this.delay = Math.max(1, Math.min(MAX_DELAY_MS, Math.floor(t1 / 5)));
  }

  add(request: ServerRequest): void {
    this.waiting.push({ request, due: Date.now() + this.delay });
    this.timer ??= this.schedule(this.delay);
  }

  private schedule(ms: number): NodeJS.Timeout {
    const timer = setTimeout(this.fire, ms);
    timer.unref();
    return timer;
  }

  private readonly fire = (): void => {
    const now = Date.now();
    const { waiting } = this;
    while (this.head < waiting.length && waiting[this.head].due <= now) {
      const { request } = waiting[this.head++];
      // A request that ended meanwhile (answered, canceled, engine stopped) needs nothing.
      if (!request.responded) request.answerLocally({ status: 100 });
    }
    // Compacting only once the consumed prefix dominates keeps each shift amortised O(1).
    if (this.head === waiting.length) {
      waiting.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > waiting.length) {
      waiting.splice(0, this.head);
      this.head = 0;
    }
    this.timer =
      this.head < waiting.length
        ? this.schedule(Math.max(1, waiting[this.head].due - now))
        : undefined;
  };
}
