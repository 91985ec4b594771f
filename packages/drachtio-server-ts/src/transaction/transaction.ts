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

/** RFC 3261 17 timer names (M is RFC 6026's); which a state machine runs is its own business. */
export type TimerName = 'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G' | 'H' | 'I' | 'J' | 'K' | 'L' | 'M';

export abstract class Transaction {
  /** A plain object rather than a Map: thousands of finished transactions linger 32 s each. */
  private readonly timers: Partial<Record<TimerName, NodeJS.Timeout>> = {};
  private ended = false;

  constructor(
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
    for (const timer of Object.values(this.timers)) clearTimeout(timer);
    this.onTerminated(this);
  }

  /** (Re)starts the named timer. */
  protected startTimer(name: TimerName, ms: number, fire: () => void): void {
    this.stopTimer(name);
    const timer = setTimeout(() => {
      this.timers[name] = undefined;
      fire();
    }, ms);
    timer.unref?.();
    this.timers[name] = timer;
  }

  protected stopTimer(name: TimerName): void {
    clearTimeout(this.timers[name]);
    this.timers[name] = undefined;
  }
}
