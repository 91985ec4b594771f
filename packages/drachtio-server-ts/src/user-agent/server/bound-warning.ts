import type { Logger } from 'pino';

/**
 * Tells the operator that new requests are being refused at a configured bound. Under overload
 * that happens thousands of times a second, so it says so at most once per interval, with the
 * number refused since it last spoke.
 */
export class BoundWarning {
  private refused = 0;
  private lastWarned = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly logger: Logger,
    private readonly bound: string,
    private readonly limit: number,
    private readonly intervalMs = 10_000,
  ) {}

  refused503(): void {
    this.refused++;
    const now = Date.now();
    if (now - this.lastWarned < this.intervalMs) return;
    this.logger.warn(
      { refused: this.refused, [this.bound]: this.limit },
      `${this.bound} reached: new requests get 503`,
    );
    this.lastWarned = now;
    this.refused = 0;
  }
}
