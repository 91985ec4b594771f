/**
 * Requests per source address per second with a temporary ban, as Kamailio's pike module does.
 * Every message pays one Map lookup and a little arithmetic: the rate is a sliding window
 * approximated from two fixed one-second windows (the previous one weighted by how much of it
 * still overlaps the last second). Both maps are bounded: a flood of spoofed UDP sources evicts
 * the oldest entries instead of growing memory.
 */
export interface RateOptions {
  /** Messages per second one address may send; above it the address is banned. */
  requestsPerSecond: number;
  /** How long a ban lasts, seconds. */
  banSeconds: number;
  /** Addresses tracked at once (and, separately, banned at once). */
  maxSources: number;
}

interface Window {
  start: number;
  current: number;
  previous: number;
}

const WINDOW_MS = 1000;

export type RateVerdict = 'ok' | 'banned-now' | 'banned';

export class SourceRate {
  private readonly windows = new Map<string, Window>();
  private readonly bans = new Map<string, number>();

  constructor(private readonly options: RateOptions) {}

  get bannedCount(): number {
    return this.bans.size;
  }

  isBanned(address: string, now: number): boolean {
    const until = this.bans.get(address);
    if (until === undefined) return false;
    if (now < until) return true;
    this.bans.delete(address);
    return false;
  }

  /** Counts one message from `address` at `now` (ms). */
  hit(address: string, now: number): RateVerdict {
    if (this.isBanned(address, now)) return 'banned';
    let window = this.windows.get(address);
    if (!window) {
      if (this.windows.size >= this.options.maxSources) this.evictOldest(this.windows);
      window = { start: now, current: 0, previous: 0 };
      this.windows.set(address, window);
    }
    const elapsed = now - window.start;
    if (elapsed >= WINDOW_MS) {
      // One window later the current count becomes the previous one; two or more, both are stale.
      window.previous = elapsed < 2 * WINDOW_MS ? window.current : 0;
      window.current = 0;
      window.start = now - (elapsed % WINDOW_MS);
    }
    window.current++;
    const overlap = 1 - (now - window.start) / WINDOW_MS;
    if (window.current + window.previous * overlap <= this.options.requestsPerSecond) return 'ok';
    this.windows.delete(address);
    if (this.bans.size >= this.options.maxSources) this.evictOldest(this.bans);
    this.bans.set(address, now + this.options.banSeconds * 1000);
    return 'banned-now';
  }

  private evictOldest(map: Map<string, unknown>): void {
    const oldest = map.keys().next();
    if (!oldest.done) map.delete(oldest.value);
  }
}
