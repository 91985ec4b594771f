/**
 * Retransmits a response the transaction layer does not cover: a 2xx to INVITE until its ACK
 * (RFC 3261 13.3.1.4) or a reliable provisional until its PRACK (RFC 3262 3). Intervals start
 * at T1 and double, capped at `cap`; after 64*T1 the peer is given up on.
 */
import type { TimerSettings } from '../transaction/timer-settings';

export class Retransmitter {
  private timer: NodeJS.Timeout | undefined;
  private readonly giveUpTimer: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly send: () => void,
    settings: TimerSettings,
    reliableTransport: boolean,
    private readonly cap: number,
    onGiveUp: () => void,
  ) {
    if (!reliableTransport) this.schedule(settings.t1);
    this.giveUpTimer = setTimeout(() => {
      this.stop();
      onGiveUp();
    }, 64 * settings.t1);
    this.giveUpTimer.unref?.();
  }

  get active(): boolean {
    return !this.stopped;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    clearTimeout(this.giveUpTimer);
  }

  private schedule(interval: number): void {
    this.timer = setTimeout(() => {
      if (this.stopped) return;
      this.send();
      this.schedule(Math.min(interval * 2, this.cap));
    }, interval);
    this.timer.unref?.();
  }
}
