/**
 * RFC 4028 negotiation of the session interval: the smallest we accept (Min-SE), the 422 for a
 * smaller offer, and the interval and refresher our 2xx answers an offer with.
 */
import type { SessionExpires } from 'drachtio-sip';
import type { Rejection } from '../server/request-checks';

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
