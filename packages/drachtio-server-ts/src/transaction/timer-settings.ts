/** RFC 3261 timer values (17.1.1.1 and table 4), all in milliseconds. */
export interface TimerSettings {
  /** RTT estimate: first retransmission interval. */
  t1: number;
  /** Maximum retransmission interval for non-INVITE requests and INVITE responses. */
  t2: number;
  /** Maximum time a message stays in the network. */
  t4: number;
  /** Timer C: how long an INVITE client transaction waits for a final response after a provisional. */
  timerC: number;
}

export const DEFAULT_TIMER_SETTINGS: Readonly<TimerSettings> = {
  t1: 500,
  t2: 4000,
  t4: 5000,
  timerC: 180000,
};

/** 64*T1: Timers B, F, H, J, L and M. */
export function transactionTimeout(timers: TimerSettings): number {
  return 64 * timers.t1;
}

/** Throws a clear error for a timer that is not a positive number of milliseconds. */
export function validateTimerSettings(timers: TimerSettings): TimerSettings {
  for (const name of ['t1', 't2', 't4', 'timerC'] as const) {
    const value = timers[name];
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw new Error(
        `invalid SIP timer ${name}: ${String(value)} (expected a positive number of milliseconds)`,
      );
    }
  }
  if (timers.t2 < timers.t1)
    throw new Error(`invalid SIP timers: T2 (${timers.t2}) is smaller than T1 (${timers.t1})`);
  return timers;
}
