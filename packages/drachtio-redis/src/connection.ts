/**
 * The ioredis client a RedisStore talks through: one it was handed, or one it builds for a
 * standalone server, a Sentinel-managed master or a Cluster. Built clients fail fast instead of
 * queueing while disconnected (the offline queue is off and every command has a timeout), and
 * keep reconnecting in the background, so a Redis outage costs failed requests, not a restart.
 */
import Redis, { Cluster, ClusterNode, ClusterOptions, RedisOptions } from 'ioredis';

export type RedisClient = Redis | Cluster;

export interface ConnectionOptions {
  host?: string;
  port?: number;
  username?: string;
  password?: string;
  db?: number;
  /** Sentinels to ask for the master named `name`. */
  sentinels?: Array<{ host: string; port: number }>;
  /** The Sentinel master name (with `sentinels`). */
  name?: string;
  sentinelPassword?: string;
  /** Cluster nodes to start from; any reachable subset of the cluster will do. */
  cluster?: ClusterNode[];
  /** Milliseconds before a command counts as failed (default 1000). */
  commandTimeout?: number;
  /** Further ioredis options, applied last (per node for a Cluster). */
  redisOptions?: RedisOptions;
  /** Further ioredis Cluster options. */
  clusterOptions?: ClusterOptions;
}

export const DEFAULT_COMMAND_TIMEOUT_MS = 1_000;
/** Reconnect quickly at first, then every two seconds at most, forever. */
const reconnectDelay = (attempt: number) => Math.min(attempt * 100, 2_000);

export function createClient(options: ConnectionOptions): RedisClient {
  const commandTimeout = options.commandTimeout ?? DEFAULT_COMMAND_TIMEOUT_MS;
  const common: RedisOptions = {
    username: options.username,
    password: options.password,
    commandTimeout,
    connectTimeout: Math.max(commandTimeout, 1_000),
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    // A half-open socket to a dead server is destroyed soon instead of lingering for ioredis' 2 s.
    disconnectTimeout: 200,
    retryStrategy: reconnectDelay,
    ...options.redisOptions,
  };
  if (options.cluster) {
    return new Cluster(options.cluster, {
      enableOfflineQueue: false,
      clusterRetryStrategy: reconnectDelay,
      ...options.clusterOptions,
      redisOptions: common,
    });
  }
  if (options.sentinels) {
    return new Redis({
      ...common,
      sentinels: options.sentinels,
      name: options.name ?? 'mymaster',
      sentinelPassword: options.sentinelPassword,
      db: options.db,
    });
  }
  return new Redis({
    ...common,
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 6379,
    db: options.db,
  });
}

export function isClient(value: unknown): value is RedisClient {
  return value instanceof Redis || value instanceof Cluster;
}

/**
 * Resolves when `client` can take commands; rejects after `timeoutMs` or if it was closed.
 * With the offline queue off, this bounded wait is what carries a command over a reconnect.
 */
export function whenReady(client: RedisClient, timeoutMs: number): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  if (client.status === 'end') return Promise.reject(new Error('Redis connection is closed'));
  // A client made with lazyConnect waits for its first command; this wait is that command.
  if (client.status === 'wait') client.connect().catch(() => undefined);
  return new Promise((resolve, reject) => {
    const onReady = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      client.off('ready', onReady);
      reject(new Error(`Redis not ready within ${timeoutMs} ms (status: ${client.status})`));
    }, timeoutMs);
    client.once('ready', onReady);
  });
}
