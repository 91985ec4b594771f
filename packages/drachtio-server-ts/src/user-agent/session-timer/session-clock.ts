/**
 * The RFC 4028 clock of one dialog (10): the refresher sends a refresh at half the interval;
 * both sides watch for expiry at interval - min(32, interval/3) seconds, and a successful
 * refresh (a 2xx carrying Session-Expires) starts both again.
 */
import type { SessionPlan } from './session-interval';

export class SessionClock {
  private refreshTimer: NodeJS.Timeout | undefined;
  private expiryTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly onRefresh: (plan: SessionPlan) => void,
    private readonly onExpire: () => void,
  ) {}

  /** (Re)start from a negotiated plan; `weRefresh` says whether this side is the refresher. */
  start(plan: SessionPlan, weRefresh: boolean): void {
    this.stop();
    const ms = plan.interval * 1000;
    if (weRefresh) {
      this.refreshTimer = setTimeout(() => this.onRefresh(plan), ms / 2);
      this.refreshTimer.unref?.();
    }
    this.expiryTimer = setTimeout(() => this.onExpire(), ms - Math.min(32000, ms / 3));
    this.expiryTimer.unref?.();
  }

  stop(): void {
    clearTimeout(this.refreshTimer);
    clearTimeout(this.expiryTimer);
    this.refreshTimer = undefined;
    this.expiryTimer = undefined;
  }
}
