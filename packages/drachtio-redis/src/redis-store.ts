/**
 * A drachtio-session Store on Redis. Each session is one string key with an expiry:
 * SET ... EX on write, GET, DEL, EXPIRE on touch. Works the same on a standalone server, a
 * Sentinel-managed master or a Cluster (see keys.ts for how one call stays on one slot).
 */
import { EventEmitter } from 'node:events';
import type { Store } from 'drachtio-session';
import {
  ConnectionOptions,
  createClient,
  DEFAULT_COMMAND_TIMEOUT_MS,
  isClient,
  RedisClient,
  whenReady,
} from './connection';
import { sessionKey } from './keys';

export interface RedisStoreOptions extends ConnectionOptions {
  /** A connected ioredis Redis or Cluster to use instead of building one (it is not closed by `close()`). */
  client?: RedisClient;
  /** Prefix of every key (default 'drachtio:sess:'); give each application its own. */
  prefix?: string;
  /** Default time to live of sessions in seconds, when the session middleware is given none. */
  ttl?: number;
}

export const DEFAULT_PREFIX = 'drachtio:sess:';

export class RedisStore extends EventEmitter implements Store {
  readonly client: RedisClient;
  readonly prefix: string;
  readonly ttl?: number;
  private readonly ownsClient: boolean;
  private readonly readyTimeout: number;
  /** The wait for readiness that commands arriving while disconnected share. */
  private pendingReady?: Promise<void>;

  constructor(options: RedisStoreOptions | RedisClient = {}) {
    super();
    const settings: RedisStoreOptions = isClient(options) ? { client: options } : options;
    if (settings.ttl !== undefined && !(settings.ttl > 0)) {
      throw new TypeError(
        `RedisStore: ttl must be a positive number of seconds, got ${String(settings.ttl)}`,
      );
    }
    if (settings.client !== undefined && !isClient(settings.client)) {
      throw new TypeError('RedisStore: client must be an ioredis Redis or Cluster instance');
    }
    this.prefix = settings.prefix ?? DEFAULT_PREFIX;
    this.ttl = settings.ttl;
    this.readyTimeout = settings.commandTimeout ?? DEFAULT_COMMAND_TIMEOUT_MS;
    this.ownsClient = settings.client === undefined;
    this.client = settings.client ?? createClient(settings);
    // Connection errors also fail the commands, which is where they are reported; the client must
    // not be left without a listener (ioredis would print them), and they stay observable here.
    this.client.on('error', (error: Error) => {
      if (this.listenerCount('error') > 0) this.emit('error', error);
    });
  }

  async get(id: string): Promise<string | undefined> {
    await this.ready();
    return (await this.client.get(this.key(id))) ?? undefined;
  }

  async set(id: string, value: string, ttlSeconds: number): Promise<void> {
    await this.ready();
    await this.client.set(this.key(id), value, 'EX', wholeSeconds(ttlSeconds));
  }

  async destroy(id: string): Promise<void> {
    await this.ready();
    await this.client.del(this.key(id));
  }

  async touch(id: string, ttlSeconds: number): Promise<void> {
    await this.ready();
    await this.client.expire(this.key(id), wholeSeconds(ttlSeconds));
  }

  /** The Redis key of session `id`. */
  key(id: string): string {
    return sessionKey(this.prefix, id);
  }

  /** Close the connection this store opened (a client passed in is left to its owner). */
  async close(): Promise<void> {
    if (!this.ownsClient || this.client.status === 'end') return;
    await this.client.quit().catch(() => this.client.disconnect());
  }

  private ready(): Promise<void> {
    if (this.client.status === 'ready') return Promise.resolve();
    if (!this.pendingReady) {
      const pending = whenReady(this.client, this.readyTimeout);
      this.pendingReady = pending;
      const clear = () => {
        if (this.pendingReady === pending) this.pendingReady = undefined;
      };
      pending.then(clear, clear);
    }
    return this.pendingReady;
  }
}

function wholeSeconds(ttlSeconds: number): number {
  if (!(ttlSeconds > 0) || !Number.isFinite(ttlSeconds)) {
    throw new TypeError(
      `RedisStore: ttl must be a positive number of seconds, got ${String(ttlSeconds)}`,
    );
  }
  return Math.max(1, Math.ceil(ttlSeconds));
}
