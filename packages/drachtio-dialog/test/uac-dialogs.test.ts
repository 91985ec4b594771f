/** The app calls sipp: the UAC dialog is created on the 2xx and ends with the far end's BYE. */
import type { Application } from 'drachtio';
import { startSipp } from 'drachtio-test-kit';
import { SipDialog, type SipDialogEvent } from '../src';
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
  server = await startServer();
});

afterEach(async () => {
  await stopApp(app);
  await server.close();
});

describe('UAC dialogs', () => {
  it('creates a dialog for an INVITE the app sends, before any request reached the app', async () => {
    const callee = await startSipp({ scenario: scenario('callee-hangs-up.xml') });
    app = await startApp(server);
    const created = nextDialogEvent(app, 'sipdialog:create');
    const terminated = nextDialogEvent(app, 'sipdialog:terminate');
    const res = await app.uac(callee.uri('carol'), {
      headers: { ...SDP_HEADERS, 'p-asserted-identity': '<sip:+15550001111@example.com>' },
      body: sdp(7000),
    });
    expect(res.status).toBe(200);

    const dialog = (await created).target;
    expect(dialog).toBeInstanceOf(SipDialog);
    expect(dialog.role).toBe('uac');
    expect(dialog.id).toBe(res.dialogId);
    expect(dialog.local.sdp).toContain('m=audio 7000');
    expect(dialog.remote.sdp).toContain('m=audio 8000');
    expect(dialog.remote.contact).toBe(`sip:carol@${callee.hostport}`);
    expect(dialog.calledParty).toMatchObject({ source: 'to', user: 'carol' });
    expect(dialog.callingParty).toMatchObject({
      source: 'p-asserted-identity',
      user: '+15550001111',
    });
    const end = await terminated;
    expect(end.target).toBe(dialog);
    expect(end.reason).toBe('normal far end release');
    expect((await callee.done).exitCode).toBe(0);
  });

  it('announces a late-offer call (INVITE without SDP) when the app ACKs with its answer', async () => {
    const callee = await startSipp({ scenario: scenario('callee-hangs-up.xml') });
    app = await startApp(server);
    const seenAtCreate: Array<string | undefined> = [];
    app.on('sipdialog:create', (e: SipDialogEvent) => seenAtCreate.push(e.target.local.sdp));
    const terminated = nextDialogEvent(app, 'sipdialog:terminate');

    const res = await app.uac(callee.uri('carol'));
    expect(res.status).toBe(200);
    expect(res.body).toContain('m=audio 8000');
    expect(seenAtCreate).toEqual([]);
    await res.ack({ headers: SDP_HEADERS, body: sdp(7000) });

    expect(seenAtCreate).toHaveLength(1);
    expect(seenAtCreate[0]).toContain('m=audio 7000');
    const end = await terminated;
    expect(end.target.remote.sdp).toContain('m=audio 8000');
    expect(end.reason).toBe('normal far end release');
    expect((await callee.done).exitCode).toBe(0);
  });

  it('creates an early dialog on a reliable 183, confirms the same dialog on the 200, and hangs it up', async () => {
    const callee = await startSipp({ scenario: scenario('callee-100rel.xml') });
    app = await startApp(server);
    const events: string[] = [];
    app.on('sipdialog:create-early', (e: SipDialogEvent) =>
      events.push(`early ${e.target.state} ${e.target.role}`),
    );
    app.on('sipdialog:create', (e: SipDialogEvent) => {
      events.push(`create ${e.target.state}`);
      void e.target.terminate();
    });
    const terminated = nextDialogEvent(app, 'sipdialog:terminate');

    const res = await app.uac(callee.uri('carol'), {
      headers: { ...SDP_HEADERS, supported: '100rel' },
      body: sdp(7000),
    });
    expect(res.status).toBe(200);
    const end = await terminated;
    expect(events).toEqual(['early early uac', 'create confirmed']);
    expect(end.target.id).toBe(res.dialogId);
    expect(end.reason).toBe('normal near end release');
    expect((await callee.done).exitCode).toBe(0);
  });
});
