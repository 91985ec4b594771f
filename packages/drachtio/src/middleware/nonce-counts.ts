/**
 * Replay protection for digest nonces (RFC 7616 3.4: the nonce-count must increase): the highest
 * count seen per nonce. In a Store (drachtio-session's MemoryStore or RedisStore) every instance
 * of an app sees every count; without one, each instance remembers its own (bounded).
 */

/** The part of drachtio-session's Store this needs (any object with these two methods). */
export interface NonceStore {
  get(id: string): Promise<string | undefined>;
  set(id: string, value: string, ttlSeconds: number): Promise<void>;
}

export class NonceCounts {
  private readonly local = new Map<string, number>();

  constructor(
    private readonly store: NonceStore | undefined,
    private readonly ttlSeconds: number,
    private readonly maxLocal: number,
  ) {}

  /**
   * Records `count` for `nonce` when it is higher than any seen; false for a replay. A nonce used
   * without qop (RFC 2069, no count) is good once: count 1.
   */
  async advance(nonce: string, count: number): Promise<boolean> {
    const key = `drachtio:digest-nc:${nonce}`;
    if (!this.store) {
      if (count <= (this.local.get(key) ?? 0)) return false;
      if (this.local.size >= this.maxLocal && !this.local.has(key))
        this.local.delete(this.local.keys().next().value as string);
      this.local.set(key, count);
      return true;
    }
    // Two instances racing on one nonce may both accept the same count once: a narrow window,
    // documented; a Store has no compare-and-set to close it.
    const seen = Number((await this.store.get(key)) ?? 0);
    if (count <= seen) return false;
    await this.store.set(key, String(count), this.ttlSeconds);
    return true;
  }
}
