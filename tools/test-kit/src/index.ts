export { freePort, type PortKind } from './ports';
export {
  SIPP_BINARY,
  runSipp,
  startSipp,
  type SippOptions,
  type SippProcess,
  type SippResult,
} from './sipp';
export {
  ensureRedis,
  redisCommand,
  startRedisCluster,
  startRedisSentinel,
  startRedisServer,
  type RedisClusterHandle,
  type RedisNodeAddress,
  type RedisServerHandle,
} from './redis-cluster';
export { FAST_TIMERS, SDP } from './sip-fixtures';
export { createTestCa, type TestCa } from './test-ca';
