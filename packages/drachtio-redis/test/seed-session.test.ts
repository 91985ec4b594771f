/**
 * The seed README's "Session state" example, end to end: sipp calls through a real
 * drachtio-server-ts, the INVITE handler writes req.session.user, the BYE handler reads it back.
 * Run with the default MemoryStore and with RedisStore.
 */
import Redis from 'ioredis';
import type { Application, Middleware } from 'drachtio';
import { runSipp } from 'drachtio-test-kit';
import {
  connectApp,
  drachtio,
  eventually,
  startServer,
  TestServer,
} from '../../drachtio-session/test/support/harness';

const prefix = `test:seed-session:${process.pid}:`;
const localSdp =
  'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 9000 RTP/AVP 0\r\n';

/** The seed's example app; what its BYE handler would print goes to `said`. */
function seedApp(sessionMiddleware: Middleware, said: string[]): Application {
  const app = drachtio();
  app.use(sessionMiddleware);
  app.use(app.router);
  app.invite(function (req, res) {
    req.session.user = 'DaveH';
    res.send(200, { headers: { 'content-type': 'application/sdp' }, body: localSdp });
  });
  // Verbatim: the seed's BYE handler answers nothing; the framework answers it 200.
  app.bye(function (req) {
    said.push('user is ' + req.session.user);
  });
  return app;
}

describe('the seed session example', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.close();
  });

  /** One sipp call (INVITE, 200, ACK, one second of talk, BYE, 200) through `app`. */
  async function call(app: Application): Promise<void> {
    await connectApp(app, server);
    try {
      const result = await runSipp({
        scenario: 'sn:uac',
        remote: server.sipHostport,
        args: ['-d', '1000'],
      });
      expect(result.successfulCalls).toBe(1);
    } finally {
      app.disconnect();
    }
  }

  it('works with the default MemoryStore', async () => {
    const said: string[] = [];
    await call(seedApp(drachtio.session(), said));
    expect(said).toEqual(['user is DaveH']);
  });

  it('works with RedisStore, keeping the session in Redis (with a TTL) for the call and no longer', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the seed's CommonJS form of the built package is what is tested
    const RedisStore = require('drachtio-redis')(drachtio);
    const store = new RedisStore({ host: 'localhost', prefix, ttl: 120 });
    const redis = new Redis({ host: '127.0.0.1', port: 6379 });
    const said: string[] = [];
    const app = seedApp(drachtio.session({ store }), said);
    const callIds: string[] = [];
    app.addHook('onDialog', (notice) => callIds.push(notice.callId));
    let ttlDuringCall = 0;
    const storedDuringCall = eventually(async () => {
      if (callIds.length === 0) return false;
      const key = store.key(callIds[0]);
      const [stored, ttl] = await Promise.all([redis.get(key), redis.pttl(key)]);
      ttlDuringCall = ttl;
      return stored?.includes('"user":"DaveH"') ?? false;
    });
    try {
      await call(app);
      await storedDuringCall;
      expect(ttlDuringCall).toBeGreaterThan(0); // the store's ttl, as session() was given none
      expect(ttlDuringCall).toBeLessThanOrEqual(120_000);
      expect(said).toEqual(['user is DaveH']);
      await eventually(async () => (await redis.exists(store.key(callIds[0]))) === 0);
    } finally {
      await store.close();
      await redis.quit();
    }
  });
});
