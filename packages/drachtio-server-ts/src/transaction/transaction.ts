/**
 * What the four transaction state machines share: an id, a way to reach the peer, the timers
 * they run, and the notice that they are gone. Each state machine lives in its own file.
 */
import type { Connection, Destination } from '../transport/transport';
import type { Remainder } from './lingering';
import type { TimerSettings } from './timer-settings';

/** Sends bytes to the transaction's peer; `reliable` (TCP) turns retransmission timers off. */
export interface Channel {
  readonly reliable: boolean;
  send(data: Buffer): void;
}

/**
 * A server transaction's channel says where it sends, as data: a lingering non-INVITE keeps that
 * as bytes (not the channel object) to send its final again.
 */
export interface ServerChannel extends Channel {
  readonly destination: Destination;
  /** The connection the request came on, over a stream transport. */
  readonly connection: Connection | undefined;
}

/** The slice of a parsed response the client state machines look at. */
export interface ResponseLike {
  readonly status: number;
}

/** RFC 3261 17 timer names (M is RFC 6026's); which a state machine runs is its own business. */
export type TimerName = 'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G' | 'H' | 'I' | 'J' | 'K' | 'L' | 'M';

export abstract class Transaction {
  /** A plain object rather than a Map: thousands of client transactions linger 32 s each. */
  private readonly timers: Partial<Record<TimerName, NodeJS.Timeout>> = {};
  private ended = false;
  /** Set when the transaction left its owner to linger as a record (lingering.ts). */
  private lingering: Remainder | undefined;
  private hasFinal = false;
  /** Told once, when the transaction has its final response (its owner counts those apart). */
  onSettled: (() => void) | undefined;

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

  /** Over for good; a transaction handed over to a lingering record is not (its record lives on). */
  get terminated(): boolean {
    return this.ended && this.lingering === undefined;
  }

  /**
   * It has its final response and stays only to absorb retransmissions: Accepted or Completed
   * (a server transaction hands that part to a lingering record instead).
   */
  get settled(): boolean {
    return this.hasFinal;
  }

  /** What it left to linger, once it has. */
  get remainder(): Remainder | undefined {
    return this.lingering;
  }

  /** Ends the transaction now: timers stop and the owner is told once. */
  terminate(): void {
    this.end();
  }

  /**
   * Hands the rest of the transaction's life to a lingering record: the owner is told as at its
   * end, finds `remainder` on it and keeps that instead of this object, its request and timers.
   */
  protected linger(remainder: Remainder): void {
    this.lingering = remainder;
    this.end();
  }

  protected settle(): void {
    if (this.hasFinal) return;
    this.hasFinal = true;
    this.onSettled?.();
  }

  private end(): void {
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
