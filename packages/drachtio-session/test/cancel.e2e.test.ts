/**
 * A call canceled while ringing, end to end: the INVITE handler saved a session, the caller
 * cancels (the server answers 200 and 487), and the session is gone.
 */
import { join } from 'node:path';
import { runSipp } from 'drachtio-test-kit';
import { MemoryStore, session } from '../src';
import { connectApp, drachtio, eventually, startServer, TestServer } from './support/harness';

describe('a call canceled while ringing', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server.close();
  });

  it('leaves no session behind', async () => {
    const store = new MemoryStore();
    const savedWhileRinging: Array<string | undefined> = [];
    const callIds: string[] = [];
    const app = drachtio();
    app.use(session({ store }));
    app.use(app.router);
    app.invite(async (req, res) => {
      callIds.push(req.callId);
      req.session.user = 'DaveH';
      await req.session.save();
      savedWhileRinging.push(await store.get(req.callId));
      res.send(180);
    });
    await connectApp(app, server);
    try {
      const caller = await runSipp({
        scenario: join(__dirname, 'scenarios', 'caller-cancels.xml'),
        remote: server.sipHostport,
      });
      expect(caller.exitCode).toBe(0);
      expect(savedWhileRinging).toEqual([expect.stringContaining('"user":"DaveH"')]);
      await eventually(async () => (await store.get(callIds[0])) === undefined);
    } finally {
      app.disconnect();
    }
  });
});
