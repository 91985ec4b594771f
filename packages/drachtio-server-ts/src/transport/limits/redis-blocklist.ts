/**
 * The C++ drachtio-server's Redis blacklist: a Redis SET of IP addresses, read in full every
 * `refreshSecs` so the hot path asks a local Set, never Redis. When Redis is unreachable the
 * last list read stays in force (and the failure is logged once per outage, not per refresh).
 */
import { Redis } from 'ioredis';
import type { Logger } from 'pino';

export interface BlocklistOptions {
  /** Redis host (standalone). Either this or `redisSentinels`. */
  redisAddress?: string;
  redisPort?: number;
  /** Sentinels as host:port, with the master's name: Redis through Sentinel. */
  redisSentinels?: string[];
  redisMaster?: string;
  /** The SET of blocked addresses. */
  redisKey: string;
  refreshSecs: number;
}

export class RedisBlocklist {
  private addresses: ReadonlySet<string> = new Set();
  private readonly redis: Redis;
  private timer: NodeJS.Timeout | undefined;
  private failing = false;

  constructor(
    private readonly options: BlocklistOptions,
    private readonly logger: Logger,
  ) {
    const common = { lazyConnect: true, maxRetriesPerRequest: 1, enableOfflineQueue: false };
    this.redis = options.redisSentinels?.length
      ? new Redis({
          ...common,
          sentinels: options.redisSentinels.map(hostPort),
          name: options.redisMaster ?? 'mymaster',
        })
      : new Redis({
          ...common,
          host: options.redisAddress ?? '127.0.0.1',
          port: options.redisPort ?? 6379,
        });
    // ioredis reconnects by itself; its error events are the outage already logged by refresh().
    this.redis.on('error', () => undefined);
  }

  has(address: string): boolean {
    return this.addresses.has(address);
  }

  get size(): number {
    return this.addresses.size;
  }

  /** Connects and reads the list once (a failure is logged, not thrown), then keeps refreshing. */
  async start(): Promise<void> {
    await this.redis.connect().catch(() => undefined);
    await this.refresh();
    this.timer = setInterval(() => void this.refresh(), this.options.refreshSecs * 1000);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.redis.disconnect();
  }

  async refresh(): Promise<void> {
    try {
      this.addresses = new Set(await this.redis.smembers(this.options.redisKey));
      if (this.failing)
        this.logger.info({ size: this.addresses.size }, 'Redis blocklist readable again');
      this.failing = false;
    } catch (err) {
      if (!this.failing)
        this.logger.warn(
          { err, kept: this.addresses.size },
          'cannot read the Redis blocklist; keeping the last one',
        );
      this.failing = true;
    }
  }
}

function hostPort(value: string): { host: string; port: number } {
  const colon = value.lastIndexOf(':');
  return colon < 0
    ? { host: value, port: 26379 }
    : { host: value.slice(0, colon), port: Number(value.slice(colon + 1)) };
}
