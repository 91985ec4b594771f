/**
 * The simulator's deterministic script: what happens when a dialog runs. There is no real
 * media; each primitive takes the configured time and reports the configured outcome.
 */
export interface SimulatorScript {
  /** How long one audio prompt plays, per iteration (ms). */
  playMs: number;
  /**
   * What the caller keys, one entry per collector run on a connection, in order. An empty
   * string, or running out of entries, is "no input".
   */
  digits: readonly string[];
  /** How long the caller takes to key the digits (ms). */
  digitDelayMs: number;
  /** How long a recording lasts (ms), capped by the record's maxtime. */
  recordMs: number;
  /** Reported as record.recordid; defaults to the record's dest. */
  recordFile?: string;
}

export const DEFAULT_SCRIPT: SimulatorScript = {
  playMs: 200,
  digits: ['1234#'],
  digitDelayMs: 100,
  recordMs: 300,
};

/** A play that would never end (iterations="forever", no maxtime) lasts until it is stopped. */
export const FOREVER = Number.POSITIVE_INFINITY;

/** "5s", "300ms", "2" (seconds) → milliseconds; undefined when absent or unreadable. */
export function parseTime(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s)?\s*$/.exec(value);
  if (!match) return undefined;
  const amount = Number(match[1]);
  return match[2] === 'ms' ? amount : amount * 1000;
}
