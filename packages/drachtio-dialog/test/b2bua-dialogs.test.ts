/**
 * A B2BUA: sipp (A) calls the app, which pipes the call to another sipp (B). Both legs are
 * dialogs, linked to each other, and a BYE on either leg ends both.
 */
import type { Application, Request, Response } from 'drachtio';
import { startSipp, type SippProcess } from 'drachtio-test-kit';
import type { SipDialogEvent } from '../src';
import {
  scenario,
  SDP_HEADERS,
  startApp,
  startServer,
  stopApp,
  type TestServer,
} from './support/harness';

let server: TestServer;
let app: Application;

beforeEach(async () => {
  server = await startServer();
});

afterEach(async () => {
  await stopApp(app);
  await server.close();
});

function b2bua(callee: SippProcess) {
  return (a: Application) =>
    a.invite((req: Request, res: Response) => {
      a.uac(callee.uri('carol'), { headers: SDP_HEADERS, body: req.body }).pipe(res);
    });
}

/** Resolves with every create and terminate event once both legs have ended. */
function collect(a: Application): Promise<{ created: SipDialogEvent[]; ended: SipDialogEvent[] }> {
  const created: SipDialogEvent[] = [];
  const ended: SipDialogEvent[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`legs ended: ${ended.length} of 2`)), 10_000);
    a.on('sipdialog:create', (e: SipDialogEvent) => created.push(e));
    a.on('sipdialog:terminate', (e: SipDialogEvent) => {
      ended.push(e);
      if (ended.length === 2) {
        clearTimeout(timer);
        resolve({ created, ended });
      }
    });
  });
}

describe('B2BUA dialogs', () => {
  it.each([
    ['the caller', 'caller-hangs-up.xml', 'callee-waits-for-bye.xml', 'uas'],
    ['the callee', 'caller-waits-for-bye.xml', 'callee-hangs-up.xml', 'uac'],
  ])(
    'makes both legs dialogs; a BYE from %s ends both',
    async (_who, callerScenario, calleeScenario, releasingRole) => {
      const callee = await startSipp({ scenario: scenario(calleeScenario) });
      app = await startApp(server, { setup: b2bua(callee) });
      const events = collect(app);
      const caller = await startSipp({
        scenario: scenario(callerScenario),
        remote: server.sipHostport,
        service: 'bob',
      });

      const { created, ended } = await events;
      const uas = created.find((e) => e.target.role === 'uas')!.target;
      const uac = created.find((e) => e.target.role === 'uac')!.target;
      expect(uas.peerId).toBe(uac.id);
      expect(uac.peerId).toBe(uas.id);
      expect(uac.remote.sdp).toContain('m=audio 8000');
      expect(uac.local.sdp).toContain('m=audio 6000');
      expect(uas.local.sdp).toContain('m=audio 8000');
      expect(uac.callId).not.toBe(uas.callId);
      const reasons = Object.fromEntries(ended.map((e) => [e.target.role, e.reason]));
      const other = releasingRole === 'uas' ? 'uac' : 'uas';
      expect(reasons).toEqual({
        [releasingRole]: 'normal far end release',
        [other]: 'normal near end release',
      });
      expect((await caller.done).exitCode).toBe(0);
      expect((await callee.done).exitCode).toBe(0);
    },
  );

  it('hangs up both legs when the app ends one of them', async () => {
    const callee = await startSipp({ scenario: scenario('callee-waits-for-bye.xml') });
    app = await startApp(server, { setup: b2bua(callee) });
    app.on('sipdialog:create', (e: SipDialogEvent) => {
      if (e.target.role === 'uac') void e.target.terminate();
    });
    const events = collect(app);
    const caller = await startSipp({
      scenario: scenario('caller-waits-for-bye.xml'),
      remote: server.sipHostport,
      service: 'bob',
    });

    const { ended } = await events;
    expect(Object.fromEntries(ended.map((e) => [e.target.role, e.reason]))).toEqual({
      uac: 'normal near end release',
      uas: 'normal near end release',
    });
    expect((await caller.done).exitCode).toBe(0);
    expect((await callee.done).exitCode).toBe(0);
  });
});
