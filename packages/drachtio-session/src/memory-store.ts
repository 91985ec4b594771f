/**
 * The embedded default store: sessions in this process's memory. Fine for one instance; use a
 * shared store (drachtio-redis) when several instances of an app must see the same sessions.
 *
 * Expiry is checked when an entry is read and when room is needed, so the store owns no timers.
 * The size bound holds at all times: when it is full, expired entries go first, then the entries
 * written longest ago.
 */
import type { Store } from './store';

export interface MemoryStoreOptions {
  /** Most sessions held at once (default 10000). */
  maxEntries?: number;
  /** Clock in milliseconds; tests pass their own. */
  now?: () => number;
}

interface Entry {
  value: string;
  expiresAt: number;
}

export class MemoryStore implements Store {
  readonly maxEntries: number;
  private readonly now: () => number;
  /** Insertion order is write order: the first entry is the one written longest ago. */
  private readonly entries = new Map<string, Entry>();

  constructor(options: MemoryStoreOptions = {}) {
    const { maxEntries = 10_000, now = Date.now } = options;
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new TypeError(
        `MemoryStore: maxEntries must be a positive integer, got ${String(maxEntries)}`,
      );
    }
    this.maxEntries = maxEntries;
    this.now = now;
  }

  /** Entries currently held, expired ones not yet swept included. */
  get size(): number {
    return this.entries.size;
  }

  async get(id: string): Promise<string | undefined> {
    return this.live(id)?.value;
  }

  async set(id: string, value: string, ttlSeconds: number): Promise<void> {
    assertTtl(ttlSeconds);
    this.entries.delete(id);
    if (this.entries.size >= this.maxEntries) this.makeRoom();
    this.entries.set(id, { value, expiresAt: this.now() + ttlSeconds * 1000 });
  }

  async destroy(id: string): Promise<void> {
    this.entries.delete(id);
  }

  async touch(id: string, ttlSeconds: number): Promise<void> {
    assertTtl(ttlSeconds);
    const entry = this.live(id);
    if (entry) entry.expiresAt = this.now() + ttlSeconds * 1000;
  }

  private live(id: string): Entry | undefined {
    const entry = this.entries.get(id);
    if (entry && entry.expiresAt <= this.now()) {
      this.entries.delete(id);
      return undefined;
    }
    return entry;
  }

  private makeRoom(): void {
    const now = this.now();
    for (const [id, entry] of this.entries) {
      if (entry.expiresAt <= now) this.entries.delete(id);
    }
    while (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }
}

function assertTtl(ttlSeconds: number): void {
  if (!(ttlSeconds > 0) || !Number.isFinite(ttlSeconds)) {
    throw new TypeError(
      `MemoryStore: ttl must be a positive number of seconds, got ${String(ttlSeconds)}`,
    );
  }
}
