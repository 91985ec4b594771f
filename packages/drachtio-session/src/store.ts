/**
 * Where sessions live between messages. The middleware serializes each session to a string
 * (see serialization.ts), so a store only keeps strings under ids for a time — which is what
 * lets any key-value service with expiry (memory, Redis, ...) be a store.
 *
 * Every method returns a promise and must settle in bounded time: a store that cannot reach its
 * backend rejects rather than waits, so that a SIP request never hangs on it. The middleware
 * also bounds each call with its own `timeout`.
 */
export interface Store {
  /** The stored string, or undefined when the id is unknown or has expired. */
  get(id: string): Promise<string | undefined>;
  /** Store `value` under `id`, replacing what was there; it expires after `ttlSeconds`. */
  set(id: string, value: string, ttlSeconds: number): Promise<void>;
  /** Forget `id`; forgetting an unknown id is not an error. */
  destroy(id: string): Promise<void>;
  /** Restart the expiry of `id` (no-op when the id is unknown). */
  touch(id: string, ttlSeconds: number): Promise<void>;
  /** The store's own default time to live, used when the middleware is given none. */
  readonly ttl?: number;
}
