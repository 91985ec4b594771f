import Redis from 'ioredis';
import drachtioRedis, { RedisStore, sessionKey } from '../src';

const prefix = `test:redis-store:${process.pid}:`;

describe('RedisStore on a standalone Redis', () => {
  let store: RedisStore;
  let inspector: Redis;
  beforeAll(() => {
    store = new RedisStore({ host: '127.0.0.1', port: 6379, prefix });
    inspector = new Redis({ host: '127.0.0.1', port: 6379 });
  });
  afterAll(async () => {
    const keys = await inspector.keys(`${prefix}*`);
    if (keys.length) await inspector.del(...keys);
    await store.close();
    await inspector.quit();
  });

  it('stores, reads, touches and forgets values under hash-tagged keys with a TTL', async () => {
    await store.set('a84b4c76e66710@pc33.atlanta.com', 'v1', 60);
    expect(await store.get('a84b4c76e66710@pc33.atlanta.com')).toBe('v1');
    const key = `${prefix}{a84b4c76e66710@pc33.atlanta.com}`;
    expect(store.key('a84b4c76e66710@pc33.atlanta.com')).toBe(key);
    const ttl = await inspector.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
    await store.touch('a84b4c76e66710@pc33.atlanta.com', 600);
    expect(await inspector.pttl(key)).toBeGreaterThan(60_000);
    await store.destroy('a84b4c76e66710@pc33.atlanta.com');
    expect(await store.get('a84b4c76e66710@pc33.atlanta.com')).toBeUndefined();
    await store.touch('never-stored', 60);
    expect(await inspector.exists(`${prefix}{never-stored}`)).toBe(0);
  });

  it('lets Redis expire sessions', async () => {
    await store.set('short-lived', 'v', 1);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(await store.get('short-lived')).toBeUndefined();
  });

  it('escapes braces in Call-IDs so the hash tag is always the whole id', () => {
    expect(sessionKey('p:', 'a}b{c%d')).toBe('p:{a%7Db%7Bc%25d}');
  });

  it('is reachable through the seed form and over a client of your own', async () => {
    const RedisStoreClass = drachtioRedis({});
    expect(RedisStoreClass).toBe(RedisStore);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the seed's CommonJS form of the built package is what is tested
    const built = require('drachtio-redis') as {
      (drachtio: unknown): unknown;
      RedisStore: unknown;
    };
    expect(built({})).toBe(built.RedisStore);

    const own = new Redis({ host: '127.0.0.1', port: 6379 });
    const shared = new RedisStore({ client: own, prefix });
    await shared.set('own-client', 'x', 60);
    expect(await new RedisStore(own).get('own-client')).toBeUndefined(); // default prefix: another key
    expect(await store.get('own-client')).toBe('x');
    await shared.close();
    expect(own.status).toBe('ready'); // a client passed in is its owner's to close
    await own.quit();
  });

  it('connects a lazyConnect client on first use', async () => {
    const lazy = new Redis({ host: '127.0.0.1', port: 6379, lazyConnect: true });
    const onLazy = new RedisStore({ client: lazy, prefix });
    expect(lazy.status).toBe('wait');
    await onLazy.set('lazy', 'v', 60);
    expect(await store.get('lazy')).toBe('v');
    await lazy.quit();
  });

  it('refuses bad settings with a clear error', async () => {
    expect(() => new RedisStore({ ttl: 0 })).toThrow(/ttl must be a positive number/);
    expect(() => new RedisStore({ client: {} as Redis })).toThrow(
      /client must be an ioredis Redis or Cluster/,
    );
    await expect(store.set('x', 'v', -5)).rejects.toThrow(/ttl must be a positive number/);
  });
});
