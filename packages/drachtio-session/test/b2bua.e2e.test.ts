/**
 * One session for both legs of a B2BUA, end to end: sipp calls the app through a real
 * drachtio-server-ts, the app pipes the call to a second sipp, the callee hangs up, and the
 * BYE on the B leg sees the session the A leg's INVITE handler wrote. When both legs are gone,
 * so is the session (and the B leg's alias).
 */
import { join } from 'node:path';
import { runSipp, startSipp } from 'drachtio-test-kit';
import { MemoryStore, session } from '../src';
import { connectApp, drachtio, eventually, startServer, TestServer } from './support/harness';

const scenario = (name: string) => join(__dirname, 'scenarios', name);

describe('a B2BUA call', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('shares one session between its legs and drops it when the call ends', async () => {
    const store = new MemoryStore();
    const callee = await startSipp({
      scenario: scenario('callee-hangs-up.xml'),
      timeoutMs: 20_000,
    });
    const byes: Array<{ callId: string; sessionId: string; user: unknown }> = [];
    const invites: string[] = [];

    const app = drachtio();
    app.use(session({ store }));
    app.use(app.router);
    app.invite((req, res) => {
      invites.push(req.callId);
      req.session.user = 'DaveH';
      app
        .uac(callee.uri('bob'), { headers: { 'content-type': 'application/sdp' }, body: req.body })
        .pipe(res);
    });
    app.bye((req, res) => {
      byes.push({ callId: req.callId, sessionId: req.session.id, user: req.session.user });
      res.send(200);
    });
    await connectApp(app, server);
    try {
      const caller = await runSipp({
        scenario: scenario('caller-waits-for-bye.xml'),
        remote: server.sipHostport,
        timeoutMs: 20_000,
      });
      expect(caller.exitCode).toBe(0); // sipp: every call succeeded
      expect((await callee.done).exitCode).toBe(0);
      expect(invites).toHaveLength(1);
      expect(byes).toEqual([{ callId: expect.any(String), sessionId: invites[0], user: 'DaveH' }]);
      expect(byes[0].callId).not.toBe(invites[0]); // the BYE came on the B leg
      await eventually(
        async () =>
          (await store.get(invites[0])) === undefined &&
          (await store.get(byes[0].callId)) === undefined,
      );
    } finally {
      app.disconnect();
    }
  });
});
