/**
 * The C++ drachtio-server's Redis blacklist flags (--blacklist-redis-*), laid over the config
 * file's `sip.protection.blacklist`: a flag wins over the file, key by key.
 */
import type { ServerOptions } from './server-options';
import { ConfigError } from './config-error';

export interface BlacklistFlags {
  blacklistRedisAddress?: string;
  blacklistRedisPort?: string;
  blacklistRedisKey?: string;
  blacklistRefreshSecs?: string;
  /** host:port,host:port */
  blacklistRedisSentinels?: string;
  blacklistRedisMaster?: string;
}

type Sip = NonNullable<ServerOptions['sip']>;

export function withBlacklistFlags(sip: Sip | undefined, flags: BlacklistFlags): Sip | undefined {
  const fromFlags = Object.fromEntries(
    Object.entries({
      redisAddress: flags.blacklistRedisAddress,
      redisPort: positive(flags.blacklistRedisPort, '--blacklist-redis-port'),
      redisKey: flags.blacklistRedisKey,
      refreshSecs: positive(flags.blacklistRefreshSecs, '--blacklist-refresh-secs'),
      redisSentinels: flags.blacklistRedisSentinels?.split(',').filter(Boolean),
      redisMaster: flags.blacklistRedisMaster,
    }).filter(([, value]) => value !== undefined),
  );
  if (Object.keys(fromFlags).length === 0) return sip;
  const protection = sip?.protection ?? {};
  return {
    ...sip,
    protection: { ...protection, blacklist: { ...protection.blacklist, ...fromFlags } },
  };
}

function positive(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new ConfigError(`${flag} must be a positive integer, not "${value}"`);
  return n;
}
