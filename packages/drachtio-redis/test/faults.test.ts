/**
 * A Redis that stops answering (frozen with SIGSTOP) or goes away (killed) makes store calls
 * fail within the command timeout — never hang — and the same store works again once Redis is
 * back, without being rebuilt.
 */
import { once } from 'node:events';
import { join } from 'node:path';
import { session, SessionStoreError } from 'drachtio-session';
import { RedisServerHandle, runSipp, startRedisServer } from 'drachtio-test-kit';
import { RedisStore } from '../src';
import {
  connectApp,
  drachtio,
  eventually,
  startServer,
} from '../../drachtio-session/test/support/harness';
import { FakeApp, FakeResponse } from '../../drachtio-session/test/support/fake-host';

const prefix = `test:faults:${process.pid}:`;

describe('RedisStore when Redis is slow or down', () => {
  let redis: RedisServerHandle;
  let store: RedisStore;
  beforeAll(async () => {
    redis = await startRedisServer();
    store = new RedisStore({ port: redis.port, prefix, commandTimeout: 300 });
    await store.set('warm-up', 'x', 60);
  });
  afterAll(async () => {
    await store.close();
    await redis.stop();
  });

  it('fails commands to a frozen Redis with a timeout, and serves again when it thaws', async () => {
    redis.pause();
    try {
      await expect(store.get('warm-up')).rejects.toThrow(/timed out/i);
    } finally {
      redis.resume();
    }
    await eventually(() => store.get('warm-up').then((v) => v === 'x'));
  });

  it('fails fast while Redis is down and reconnects by itself when it is back', async () => {
    const port = redis.port;
    await redis.stop();
    await expect(store.get('warm-up')).rejects.toThrow();
    redis = await startRedisServer({ port });
    await eventually(() => store.set('after-restart', 'y', 60).then(() => true));
    expect(await store.get('after-restart')).toBe('y');
  });

  it('makes the session middleware answer 503 and emit error while Redis is down, then work again', async () => {
    const app = new FakeApp();
    const errors: Error[] = [];
    app.on('error', (error: Error) => errors.push(error));
    const middleware = session({ store, ttl: 60 });
    const port = redis.port;
    await redis.stop();

    const res = new FakeResponse();
    let reachedHandlers = false;
    middleware({ app, method: 'INVITE', callId: 'down-1' }, res, () => (reachedHandlers = true));
    await once(res, 'finish');
    expect(res.statusCode).toBe(503);
    expect(reachedHandlers).toBe(false);
    expect(errors[0]).toBeInstanceOf(SessionStoreError);

    redis = await startRedisServer({ port });
    await eventually(async () => {
      const retry = new FakeResponse();
      const loaded = new Promise<boolean>((resolve) => {
        middleware({ app, method: 'INVITE', callId: 'down-1' }, retry, () => resolve(true));
        retry.once('finish', () => resolve(false));
      });
      return loaded;
    });
  });
});

describe('a SIP call while Redis is down or frozen', () => {
  /** Break Redis, and return how to bring it back. */
  const outages: Array<
    [string, (redis: RedisServerHandle) => Promise<() => Promise<RedisServerHandle>>]
  > = [
    [
      'down',
      async (redis) => {
        await redis.stop();
        return () => startRedisServer({ port: redis.port });
      },
    ],
    [
      'frozen',
      async (redis) => {
        redis.pause();
        return async () => {
          redis.resume();
          return redis;
        };
      },
    ],
  ];

  it.each(outages)(
    'is refused with 503 and an error event while Redis is %s, and goes through once it is back',
    async (_outage, breakRedis) => {
      let redis = await startRedisServer();
      const server = await startServer();
      const store = new RedisStore({ port: redis.port, prefix, commandTimeout: 300 });
      const app = drachtio();
      const errors: Error[] = [];
      app.on('error', (error) => errors.push(error));
      app.use(drachtio.session({ store }));
      app.use(app.router);
      app.invite((req, res) => {
        req.session.user = 'DaveH';
        res.send(200, { headers: { 'content-type': 'application/sdp' }, body: req.body });
      });
      await connectApp(app, server);
      try {
        const repair = await breakRedis(redis);
        const refused = await runSipp({
          scenario: join(__dirname, 'scenarios', 'caller-expects-503.xml'),
          remote: server.sipHostport,
        });
        expect(refused.exitCode).toBe(0); // sipp: the call went as the scenario says (503)
        expect(errors[0]).toBeInstanceOf(SessionStoreError);

        redis = await repair();
        await eventually(() => store.get('probe').then(() => true));
        const answered = await runSipp({ scenario: 'sn:uac', remote: server.sipHostport });
        expect(answered.exitCode).toBe(0);
      } finally {
        app.disconnect();
        await store.close();
        await server.close();
        await redis.stop();
      }
    },
  );
});
