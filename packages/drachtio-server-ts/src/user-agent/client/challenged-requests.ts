/**
 * Requests of the application's that were challenged (401/407), kept so that the application
 * can have one re-sent with its credentials (`retryOf`, RFC 3261 22.2) without restating it.
 * Each is kept for `ttlMs` (64*T1) after its final response, and at most `cap` at once: the
 * oldest goes first. Every entry has the same lifetime, so insertion order is expiry order and
 * one timer, for the oldest entry, serves them all.
 */
export class ChallengedRequests<T> {
  private readonly entries = new Map<string, { value: T; expiresAt: number }>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ttlMs: number,
    private readonly cap: number,
    /** Told of each entry that leaves without being taken (expired, or pushed out by the cap). */
    private readonly onForgotten: (id: string) => void,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  get(id: string): T | undefined {
    return this.entries.get(id)?.value;
  }

  remember(id: string, value: T): void {
    if (this.entries.size >= this.cap) {
      const oldest = this.entries.keys().next().value;
      if (oldest !== undefined) this.forget(oldest);
    }
    this.entries.set(id, { value, expiresAt: Date.now() + this.ttlMs });
    this.schedule();
  }

  /** The entry, which leaves the memory: a request is retried once. */
  take(id: string): T | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    this.entries.delete(id);
    return entry.value;
  }

  /** Engine shutdown. */
  clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.entries.clear();
  }

  private forget(id: string): void {
    this.entries.delete(id);
    this.onForgotten(id);
  }

  private schedule(): void {
    if (this.timer !== undefined) return;
    const oldest = this.entries.values().next().value;
    if (oldest === undefined) return;
    this.timer = setTimeout(() => this.expire(), Math.max(0, oldest.expiresAt - Date.now()));
    this.timer.unref?.();
  }

  private expire(): void {
    this.timer = undefined;
    const now = Date.now();
    for (const [id, entry] of this.entries) {
      if (entry.expiresAt > now) break;
      this.forget(id);
    }
    this.schedule();
  }
}
