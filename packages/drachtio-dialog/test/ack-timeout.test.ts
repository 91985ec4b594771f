/**
 * A caller that never acknowledges our 2xx: the server gives up after 64*T1 (T1 is 20 ms here so
 * the test need not wait 32 s), hangs up with a Reason header, and the dialog says why.
 */
import type { Application, Request, Response } from 'drachtio';
import { startSipp } from 'drachtio-test-kit';
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
  server = await startServer({ sip: { timers: { t1: 20, t2: 160 } } });
  app = await startApp(server, {
    setup: (a) =>
      a.invite((_req: Request, res: Response) =>
        res.send(200, { headers: SDP_HEADERS, body: sdp(7000) }),
      ),
  });
});

afterEach(async () => {
  await stopApp(app);
  await server.close();
});

it("reports a dialog whose 2xx was never acknowledged as 'ack timeout'", async () => {
  const created = nextDialogEvent(app, 'sipdialog:create');
  const terminated = nextDialogEvent(app, 'sipdialog:terminate');
  const sipp = await startSipp({
    scenario: scenario('caller-never-acks.xml'),
    remote: server.sipHostport,
    service: 'bob',
  });

  const dialog = (await created).target;
  const end = await terminated;
  expect(end.target).toBe(dialog);
  expect(end.reason).toBe('ack timeout');
  const result = await sipp.done;
  expect(result.errors).toBe('');
  expect(result.exitCode).toBe(0);
});
