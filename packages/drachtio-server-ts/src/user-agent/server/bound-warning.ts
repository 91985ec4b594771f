import type { Logger } from 'pino';

/**
 * Tells the operator that a configured bound is hit: new requests refused, or lingering
 * transactions forgotten early. Under overload that happens thousands of times a second, so it
 * says so at most once per interval, with the number of hits since it last spoke.
 */
export class BoundWarning {
  private hits = 0;
  private lastWarned = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly logger: Logger,
    private readonly bound: string,
    private readonly limit: number,
    /** What a hit does, and the name of its count in the log line. */
    private readonly consequence = { text: 'new requests get 503', count: 'refused' },
    private readonly intervalMs = 10_000,
  ) {}

  hit(): void {
    this.hits++;
    const now = Date.now();
    if (now - this.lastWarned < this.intervalMs) return;
    this.logger.warn(
      { [this.consequence.count]: this.hits, [this.bound]: this.limit },
      `${this.bound} reached: ${this.consequence.text}`,
    );
    this.lastWarned = now;
    this.hits = 0;
  }
}
