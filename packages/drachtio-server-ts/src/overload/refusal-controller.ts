/**
 * Which fraction of new requests to refuse, adjusted on every sample of the queueing delay:
 * up while the delay is above its target and the queue is not draining, down while it is below
 * (the loss-based control of RFC 7339, with a proportional-integral update in the manner of PIE,
 * RFC 8033). Refusing a fraction, instead of everything while a threshold is crossed, keeps the
 * admitted load near what the server can carry rather than swinging between idle and overflowing.
 *
 * What tells overload from a hiccup is whether the queue drains. After a GC pause or a burst a
 * server with spare capacity reads its backlog down, sample after sample; past capacity the
 * queue grows or stands. So the fraction rises only while the newest sample is not below the
 * highest of the PEAK_SAMPLES before it (a noisy uptick while a backlog drains is not growth),
 * unless the delay is so long that peers would retransmit before it drained (LONG_DELAY targets). Acting on the sign of the change rather than on a longer window keeps the reaction
 * fast: a window of 200 ms, CoDel's (RFC 8289), reacted too late past capacity (at twice it the
 * kernel's buffer overflowed before the refusals began: goodput 54 % of the clean rate, bench run
 * of 2026-12-05 14:37 UTC), and the smaller of two samples alone refused calls after every long
 * GC pause near capacity (6 and 36 calls in steps at 3,000 and 2,800 calls/s, 15:49 UTC), and
 * comparing with the one sample before still refused 7 calls at 4,000 calls/s (16:58 UTC).
 *
 * The delay acted on is the smaller of the last STANDING_SAMPLES samples (50 ms), so one sample
 * read right after a pause is not taken for the queue's level. Once the queue is empty the
 * fraction decays geometrically, so a past overload is forgotten in about half a second.
 */

/** Change of the fraction per sample for a delay one target above the target. */
const GAIN = 0.01;
/** Change of the fraction per sample for a delay that grew by one target since the last. */
const TREND_GAIN = 0.05;
/** Far above the target the queue is overflowing anyway: this caps how fast the fraction climbs. */
const MAX_ERROR = 4;
/** The window of the delay acted on, in samples (of 25 ms). */
export const STANDING_SAMPLES = 2;
/** The samples (75 ms) whose highest a draining queue's newest sample is below. */
const PEAK_SAMPLES = 3;
/** Samples kept, newest first: the peak's and, for the trend, the standing delay one sample ago. */
const KEPT = Math.max(PEAK_SAMPLES, STANDING_SAMPLES) + 1;
/**
 * A delay this many targets long refuses even while the queue drains: at the 100 ms default, a
 * request waiting 300 ms is close to its sender's first retransmission (T1, 500 ms).
 */
const LONG_DELAY = 3;
/** Share of the fraction kept per sample once the queue is empty: 0.6 falls below 1 % in 450 ms. */
const EMPTY_DECAY = 0.8;

export class RefusalController {
  /** The fraction of new requests refused, 0 to 1. */
  private refused = 0;
  /** The latest samples, newest first. */
  private readonly recent = new Array<number>(KEPT).fill(0);
  /** Refusals owed, per kind: spread evenly over the requests instead of drawn at random. */
  private readonly credit = { invite: 0, other: 0 };

  constructor(private readonly targetDelay: number) {}

  get fraction(): number {
    return this.refused;
  }

  /** One sample of the queueing delay, in ms. */
  update(sample: number): void {
    const { recent } = this;
    recent.pop();
    recent.unshift(sample);
    const delay = standing(recent, 0);
    const peak = Math.max(...recent.slice(1, PEAK_SAMPLES + 1));
    const error = clamp((delay - this.targetDelay) / this.targetDelay, -1, MAX_ERROR);
    const trend = clamp((delay - standing(recent, 1)) / this.targetDelay, -MAX_ERROR, MAX_ERROR);
    const draining = sample < peak && delay < LONG_DELAY * this.targetDelay;
    if (delay === 0) this.refused = this.refused * EMPTY_DECAY - GAIN;
    else if (error > 0 && draining) this.refused += TREND_GAIN * Math.min(trend, 0);
    else this.refused += GAIN * error + TREND_GAIN * trend;
    this.refused = clamp(this.refused, 0, 1);
    if (this.refused === 0) this.credit.invite = this.credit.other = 0;
  }

  /**
   * Whether the next new request of this kind is refused. New calls go first: other requests
   * outside a dialog (REGISTER, OPTIONS, SUBSCRIBE...) are refused only once more than half
   * the INVITEs are, reaching all of them with the INVITEs.
   */
  refusesNext(kind: RequestKind): boolean {
    this.credit[kind] += kind === 'invite' ? this.refused : Math.max(0, 2 * this.refused - 1);
    if (this.credit[kind] < 1) return false;
    this.credit[kind] -= 1;
    return true;
  }
}

/** A new request: an INVITE outside a dialog, or any other request outside one. */
export type RequestKind = 'invite' | 'other';

/** The standing delay `ago` samples back: the smallest of the STANDING_SAMPLES from there. */
function standing(recent: readonly number[], ago: number): number {
  return Math.min(...recent.slice(ago, ago + STANDING_SAMPLES));
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
