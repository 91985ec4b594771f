/**
 * What the four transaction state machines share: an id, a way to reach the peer, the timers
 * they run, and the notice that they are gone. Each state machine lives in its own file.
 */
import type { TimerSettings } from './timer-settings';

/** Sends bytes to the transaction's peer; `reliable` (TCP) turns retransmission timers off. */
export interface Channel {
  readonly reliable: boolean;
  send(data: Buffer): void;
}

/** The slice of a parsed response the client state machines look at. */
export interface ResponseLike {
  readonly status: number;
}

export abstract class Transaction {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private ended = false;

  protected constructor(
    /** Unique in this engine; what the control plane and applications call the transaction. */
    readonly id: string,
    protected readonly channel: Channel,
    protected readonly settings: TimerSettings,
    private readonly onTerminated: (transaction: Transaction) => void,
  ) {}

  abstract readonly state: string;

  /** Over a reliable transport (TCP) nothing is retransmitted. */
  get reliable(): boolean {
    return this.channel.reliable;
  }

  get terminated(): boolean {
    return this.ended;
  }

  /** Ends the transaction now: timers stop and the owner is told once. */
  terminate(): void {
    if (this.ended) return;
    this.ended = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.onTerminated(this);
  }

  /** (Re)starts the named timer. */
  protected startTimer(name: string, ms: number, fire: () => void): void {
    this.stopTimer(name);
    const timer = setTimeout(() => {
      this.timers.delete(name);
      fire();
    }, ms);
    timer.unref?.();
    this.timers.set(name, timer);
  }

  protected stopTimer(name: string): void {
    const timer = this.timers.get(name);
    if (timer === undefined) return;
    clearTimeout(timer);
    this.timers.delete(name);
  }
}
