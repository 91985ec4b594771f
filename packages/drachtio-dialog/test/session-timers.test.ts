/**
 * RFC 4028 session timers are run by the server; the dialog reports them. The server here
 * accepts intervals down to 2 s (the network minimum is 90) so that a test can see them work.
 */
import type { Application, Request, Response } from 'drachtio';
import { startSipp } from 'drachtio-test-kit';
import type { SipDialogEvent } from '../src';
import {
  nextDialogEvent,
  scenario,
  sdp,
  SDP_HEADERS,
  startApp,
  startServer,
  stopApp,
  type TestServer,
} from './support/harness';

let server: TestServer;
let app: Application;

beforeEach(async () => {
  server = await startServer({ sip: { sessionTimers: { minSE: 2 } } });
  app = await startApp(server, {
    setup: (a) =>
      a.invite((req: Request, res: Response) => {
        if (req.dialogId === undefined) res.send(200, { headers: SDP_HEADERS, body: sdp(7000) });
      }),
  });
});

afterEach(async () => {
  await stopApp(app);
  await server.close();
});

describe('session timers', () => {
  it("reports an expired session (the far end never refreshed) as 'session expired'", async () => {
    const terminated = nextDialogEvent(app, 'sipdialog:terminate');
    const sipp = await startSipp({
      scenario: scenario('caller-session-expires.xml'),
      remote: server.sipHostport,
      service: 'bob',
    });

    const end = await terminated;
    expect(end.reason).toBe('session expired');
    expect(end.target.state).toBe('terminated');
    expect(end.session).toBeDefined();
    expect((await sipp.done).exitCode).toBe(0);
  });

  it('keeps a refreshed session alive past its interval', async () => {
    const states: string[] = [];
    app.on('sipdialog:create', (e: SipDialogEvent) => states.push(e.target.state));
    const terminated = nextDialogEvent(app, 'sipdialog:terminate');
    const sipp = await startSipp({
      scenario: scenario('caller-session-refreshed.xml'),
      remote: server.sipHostport,
      service: 'bob',
    });

    const end = await terminated;
    const result = await sipp.done;
    expect(result.errors).toBe('');
    expect(result.exitCode).toBe(0);
    // sipp hangs up only after answering two refreshes, so the call outlived its 3 s interval
    // and still ended by the caller's BYE, not by expiry.
    expect(states).toEqual(['confirmed']);
    expect(end.reason).toBe('normal far end release');
  });
});
