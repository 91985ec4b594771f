/**
 * RedisStore through Sentinel: the store asks a real Sentinel (redis-server --sentinel, started
 * for this file) for the master's address and keeps sessions there.
 */
import Redis from 'ioredis';
import { RedisServerHandle, startRedisSentinel, startRedisServer } from 'drachtio-test-kit';
import { RedisStore } from '../src';

const prefix = `test:sentinel:${process.pid}:`;

describe('RedisStore through Sentinel', () => {
  let master: RedisServerHandle;
  let sentinel: RedisServerHandle;
  beforeAll(async () => {
    master = await startRedisServer();
    sentinel = await startRedisSentinel(master, 'sessions');
  }, 20_000);
  afterAll(async () => {
    await sentinel?.stop();
    await master?.stop();
  });

  it('finds the master by name and keeps sessions on it', async () => {
    const store = new RedisStore({
      sentinels: [{ host: sentinel.host, port: sentinel.port }],
      name: 'sessions',
      prefix,
    });
    const direct = new Redis({ host: master.host, port: master.port });
    try {
      await store.set('via-sentinel', 'v', 60);
      expect(await store.get('via-sentinel')).toBe('v');
      expect(await direct.get(`${prefix}{via-sentinel}`)).toBe('v');
    } finally {
      await store.close();
      await direct.quit();
    }
  });
});
