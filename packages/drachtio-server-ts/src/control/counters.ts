/**
 * What the control plane counts for metrics: plain numbers bumped where things happen and
 * read on scrape, so the wire's hot path pays an increment, not a metrics library call.
 */
export const CONTROL_LIMITS = [
  'max-connections',
  'max-frame-size',
  'max-write-buffer',
  'auth-timeout',
  'max-unauthenticated',
  'commands-in-flight',
] as const;
export type ControlLimit = (typeof CONTROL_LIMITS)[number];

export class ControlCounters {
  /** Wire frames read from and written to applications. */
  framesIn = 0;
  framesOut = 0;
  /** How often each bound on application connections was hit. */
  readonly limits: Record<ControlLimit, number> = Object.fromEntries(
    CONTROL_LIMITS.map((limit) => [limit, 0]),
  ) as Record<ControlLimit, number>;
}
