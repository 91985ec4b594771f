/**
 * The lingering records (see lingering.ts), found by key and swept when they end, without a
 * timer each. Records of one duration end in the order they were added, so each duration (there
 * are two: 64*T1 and T4) keeps a Map, which iterates in insertion order, and one timer armed
 * for its head. The whole is bounded by an estimate of its heap bytes: past the budget the record
 * nearest its end goes early, which is counted; new transactions are never refused for it.
 */

/** What the table needs of a record. */
export interface Expiring {
  readonly key: string;
  /** Date.now() at which the record ends. */
  readonly expires: number;
  /** Estimated heap bytes. */
  readonly bytes: number;
}

/**
 * How late a sweep may run after a record's end: one timer serves every record ending within
 * this window. Lookups never see an ended record, whenever the sweep comes.
 */
const SWEEP_MS = 100;

interface Queue<R> {
  /** How long its records linger. */
  readonly ms: number;
  readonly records: Map<string, R>;
  timer: NodeJS.Timeout | undefined;
}

export class LingerTable<R extends Expiring> {
  /**
   * One per duration, two in practice: a list, since every lookup walks them all (a Map's
   * iterator was an allocation per message on the hot path).
   */
  private readonly queues: Array<Queue<R>> = [];
  private heldBytes = 0;
  private count = 0;

  constructor(
    /** Estimated bytes all records may hold together. */
    private readonly budget: number,
    /** A record left: it ended, or (`evicted`) it went early to make room. */
    private readonly onGone: (record: R, evicted: boolean) => void,
  ) {}

  get size(): number {
    return this.count;
  }

  /** Estimated heap bytes of the records held. */
  get bytes(): number {
    return this.heldBytes;
  }

  /** Adds a record that lingers `ms` (its `expires` is now + ms). */
  add(record: R, ms: number): void {
    // A record under the same key goes first: Map.set would keep its old place in the order.
    const previousQueue = this.queueOf(record.key);
    const previous = previousQueue?.records.get(record.key);
    if (previousQueue && previous) this.remove(previousQueue, previous, false);
    let queue = this.queues.find((candidate) => candidate.ms === ms);
    if (!queue) {
      queue = { ms, records: new Map(), timer: undefined };
      this.queues.push(queue);
    }
    queue.records.set(record.key, record);
    this.heldBytes += record.bytes;
    this.count++;
    if (!queue.timer) this.arm(queue);
    while (this.heldBytes > this.budget && this.evictOne());
  }

  /** The record under `key`, unless it has ended. */
  get(key: string): R | undefined {
    const record = this.queueOf(key)?.records.get(key);
    return record && record.expires > Date.now() ? record : undefined;
  }

  /** Forgets every record at once (engine shutdown), without telling anyone. */
  clear(): void {
    for (const queue of this.queues) clearTimeout(queue.timer);
    this.queues.length = 0;
    this.heldBytes = 0;
    this.count = 0;
  }

  *values(): IterableIterator<R> {
    for (const queue of this.queues) yield* queue.records.values();
  }

  /** The queue holding a record under `key`, ended or not. */
  private queueOf(key: string): Queue<R> | undefined {
    for (let i = 0; i < this.queues.length; i++)
      if (this.queues[i].records.has(key)) return this.queues[i];
    return undefined;
  }

  private remove(queue: Queue<R>, record: R, evicted: boolean): void {
    queue.records.delete(record.key);
    this.heldBytes -= record.bytes;
    this.count--;
    this.onGone(record, evicted);
  }

  /** The head nearest its end, among all durations, goes; false when nothing is left. */
  private evictOne(): boolean {
    let oldest: { queue: Queue<R>; record: R } | undefined;
    for (const queue of this.queues) {
      const head = first(queue.records);
      if (head && (!oldest || head.expires < oldest.record.expires))
        oldest = { queue, record: head };
    }
    if (!oldest) return false;
    this.remove(oldest.queue, oldest.record, true);
    return true;
  }

  private arm(queue: Queue<R>): void {
    const head = first(queue.records);
    if (!head) {
      queue.timer = undefined;
      return;
    }
    const wait = Math.max(head.expires - Date.now(), 0) + SWEEP_MS;
    queue.timer = setTimeout(() => this.sweep(queue), wait);
    queue.timer.unref?.();
  }

  private sweep(queue: Queue<R>): void {
    const now = Date.now();
    for (const record of queue.records.values()) {
      if (record.expires > now) break;
      this.remove(queue, record, false);
    }
    this.arm(queue);
  }
}

function first<R>(records: Map<string, R>): R | undefined {
  return records.values().next().value;
}
