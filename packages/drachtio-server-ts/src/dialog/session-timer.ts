/**
 * RFC 4028 session timers for one dialog. The refresher sends a refresh at half the interval;
 * both sides watch for expiry at interval - min(32, interval/3) seconds, and a successful
 * refresh (a 2xx carrying Session-Expires) starts both clocks again.
 */
import type { SessionExpires } from 'drachtio-sip';
import type { Rejection } from './request-checks';

/** RFC 4028 4: no Min-SE below 90 seconds on the network; tests may lower it through config. */
export const DEFAULT_MIN_SE = 90;

export interface SessionTimerSettings {
  /** The smallest session interval (seconds) this engine accepts. */
  minSE: number;
}

export interface SessionPlan {
  /** Seconds. */
  interval: number;
  refresher: 'uac' | 'uas';
}

/** UAS side: a 422 when the offered interval is too small (RFC 4028 8.1). */
export function checkSessionInterval(
  offered: SessionExpires | undefined,
  settings: SessionTimerSettings,
): Rejection | undefined {
  if (offered && offered.delta < settings.minSE) {
    return { status: 422, headers: [`Min-SE: ${settings.minSE}`] };
  }
  return undefined;
}

/**
 * UAS side: the Session-Expires our 2xx carries (RFC 4028 9). The interval is the offer's; the
 * refresher is the offer's choice, else the UAC when it supports timers, else ourselves.
 */
export function answerSessionInterval(
  offered: SessionExpires,
  uacSupportsTimer: boolean,
): SessionPlan {
  return {
    interval: offered.delta,
    refresher: offered.refresher ?? (uacSupportsTimer ? 'uac' : 'uas'),
  };
}

export class SessionTimer {
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
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    this.refreshTimer = undefined;
    this.expiryTimer = undefined;
  }
}
