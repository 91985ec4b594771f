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
  readonly records: Map<string, R>;
  timer: NodeJS.Timeout | undefined;
}

export class LingerTable<R extends Expiring> {
  private readonly queues = new Map<number, Queue<R>>();
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
    const previous = this.find(record.key);
    if (previous) this.remove(previous.queue, previous.record, false);
    let queue = this.queues.get(ms);
    if (!queue) {
      queue = { records: new Map(), timer: undefined };
      this.queues.set(ms, queue);
    }
    queue.records.set(record.key, record);
    this.heldBytes += record.bytes;
    this.count++;
    if (!queue.timer) this.arm(queue);
    while (this.heldBytes > this.budget && this.evictOne());
  }

  /** The record under `key`, unless it has ended. */
  get(key: string): R | undefined {
    const found = this.find(key);
    return found && found.record.expires > Date.now() ? found.record : undefined;
  }

  /** Forgets every record at once (engine shutdown), without telling anyone. */
  clear(): void {
    for (const queue of this.queues.values()) clearTimeout(queue.timer);
    this.queues.clear();
    this.heldBytes = 0;
    this.count = 0;
  }

  *values(): IterableIterator<R> {
    for (const queue of this.queues.values()) yield* queue.records.values();
  }

  private find(key: string): { queue: Queue<R>; record: R } | undefined {
    for (const queue of this.queues.values()) {
      const record = queue.records.get(key);
      if (record) return { queue, record };
    }
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
    for (const queue of this.queues.values()) {
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
