/**
 * Logging of limit hits that an attacker cannot turn into a log flood: at most one line per
 * limit per interval, carrying how many hits were not logged since the last one.
 */
import type { Logger } from 'pino';

const INTERVAL_MS = 10_000;

export class LimitLog {
  private readonly last = new Map<string, { at: number; suppressed: number }>();

  constructor(private readonly logger: Logger) {}

  hit(limit: string, details: Record<string, unknown>, now = Date.now()): void {
    const seen = this.last.get(limit);
    if (seen && now - seen.at < INTERVAL_MS) {
      seen.suppressed++;
      return;
    }
    this.logger.warn({ limit, ...details, suppressed: seen?.suppressed ?? 0 }, 'abuse limit hit');
    this.last.set(limit, { at: now, suppressed: 0 });
  }
}
