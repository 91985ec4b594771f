/**
 * Admin connections that have not authenticated yet, capped: when a new one would exceed the
 * cap, the oldest is dropped. A flood of connections that never authenticate then only ever
 * holds `cap` places, and a legitimate application (which authenticates in one round trip) is
 * never locked out, however many the flood opens.
 */
export interface Droppable {
  drop(reason: string): void;
}

export class PendingAuth<C extends Droppable> {
  /** Insertion order is age order: the first entry is the oldest. */
  private readonly pending = new Set<C>();

  constructor(private cap: number) {}

  get size(): number {
    return this.pending.size;
  }

  setCap(cap: number): void {
    this.cap = cap;
  }

  /** Adds `connection`; returns how many older ones were dropped to make room. */
  add(connection: C): number {
    let dropped = 0;
    while (this.pending.size >= this.cap) {
      const oldest = this.pending.values().next();
      if (oldest.done) break;
      this.pending.delete(oldest.value);
      oldest.value.drop('too many unauthenticated connections: the oldest is dropped');
      dropped++;
    }
    this.pending.add(connection);
    return dropped;
  }

  /** Authenticated or closed: no longer pending. */
  remove(connection: C): void {
    this.pending.delete(connection);
  }
}
