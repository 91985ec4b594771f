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
