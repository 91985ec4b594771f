/**
 * drachtio-redis: a drachtio-session Store on Redis (ioredis): standalone, Sentinel or Cluster.
 *
 *   const RedisStore = require('drachtio-redis')(drachtio);   // the seed's form
 *   import { RedisStore } from 'drachtio-redis';              // or directly
 *   app.use(drachtio.session({ store: new RedisStore({ host: 'localhost' }) }));
 */
import { RedisStore } from './redis-store';

/**
 * The seed's form: called with the drachtio module (as the original connect-style stores
 * were), returns the RedisStore class. The argument is not needed any more and is ignored.
 */
function drachtioRedis(_drachtio?: unknown): typeof RedisStore {
  return RedisStore;
}

export { RedisStore, drachtioRedis };
export { DEFAULT_PREFIX } from './redis-store';
export type { RedisStoreOptions } from './redis-store';
export type { ConnectionOptions, RedisClient } from './connection';
export { sessionKey } from './keys';
export default drachtioRedis;
