export { freePort, type PortKind } from './ports';
export {
  SIPP_BINARY,
  killAllSipp,
  runSipp,
  startSipp,
  type SippOptions,
  type SippProcess,
  type SippResult,
} from './sipp';
export {
  REDIS_CLI_BINARY,
  REDIS_SERVER_BINARY,
  ensureRedis,
  redisCommand,
  startRedisCluster,
  startRedisSentinel,
  startRedisServer,
  type RedisClusterHandle,
  type RedisNodeAddress,
  type RedisServerHandle,
} from './redis-cluster';
