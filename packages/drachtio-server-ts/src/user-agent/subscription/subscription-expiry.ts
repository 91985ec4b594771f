/**
 * How long a subscription lasts (RFC 6665 4.1.2.1, 4.2.1.1): each SUBSCRIBE 2xx or NOTIFY with
 * an expiry restarts the clock, and a subscription nobody refreshes ends.
 */
export class SubscriptionExpiry {
  private timer: NodeJS.Timeout | undefined;

  /** The subscription lasts `ms` from now; `onExpired` runs unless it is refreshed first. */
  restart(ms: number, onExpired: () => void): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(onExpired, ms);
    this.timer.unref?.();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
