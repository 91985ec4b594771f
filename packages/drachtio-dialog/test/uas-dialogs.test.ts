/**
 * The app answers calls from sipp: dialogs are created, follow the call, and end with the
 * reason the call ended for.
 */
import type { Application, Request, Response } from 'drachtio';
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

/** Answers new calls; re-INVITEs (which reach app.invite too) are left to the dialog's listeners. */
function answerWith(port: number) {
  return (a: Application) => {
    a.invite((req: Request, res: Response) => {
      if (req.dialogId === undefined) res.send(200, { headers: SDP_HEADERS, body: sdp(port) });
    });
  };
}

describe('UAS dialogs', () => {
  it('creates a confirmed dialog on the 200 and ends it on the caller BYE (far end release)', async () => {
    app = await startApp(server, { setup: answerWith(7000) });
    const created = nextDialogEvent(app, 'sipdialog:create');
    const terminated = nextDialogEvent(app, 'sipdialog:terminate');
    const sipp = await startSipp({
      scenario: scenario('caller-hangs-up.xml'),
      remote: server.sipHostport,
      service: 'bob',
    });

    const create = await created;
    const dialog = create.target;
    const byes: string[] = [];
    dialog.on('bye', (req: Request) => byes.push(req.method));
    expect(dialog).toBeInstanceOf(SipDialog);
    expect(dialog.role).toBe('uas');
    expect(dialog.state).toBe('confirmed');
    expect(dialog.callId).toMatch(/./);
    expect(dialog.local).toMatchObject({ uri: `sip:bob@${server.sipHostport}` });
    expect(dialog.local.tag).toMatch(/./);
    expect(dialog.local.sdp).toContain('m=audio 7000');
    expect(dialog.remote.uri).toMatch(/^sip:alice@127\.0\.0\.1:\d+$/);
    expect(dialog.remote.tag).toMatch(/SIPpTag00/);
    expect(dialog.remote.contact).toMatch(/^sip:alice@127\.0\.0\.1:\d+$/);
    expect(dialog.remote.sdp).toContain('m=audio 6000');
    expect(dialog.callingParty).toMatchObject({
      source: 'p-asserted-identity',
      user: '+15551230000',
      displayName: 'Alice Asserted',
    });
    expect(dialog.calledParty).toMatchObject({ source: 'to', user: 'bob', displayName: 'Bob' });
    expect(dialog.times.connect!.getTime()).toBeGreaterThanOrEqual(dialog.times.start.getTime());
    expect(create.session).toBeDefined();

    const end = await terminated;
    expect(end.target).toBe(dialog);
    expect(end.reason).toBe('normal far end release');
    expect(dialog.state).toBe('terminated');
    expect(dialog.times.end).toBeInstanceOf(Date);
    expect(byes).toEqual(['BYE']);
    expect((await sipp.done).exitCode).toBe(0);
  });

  it('ends the dialog with a BYE from the app (near end release)', async () => {
    app = await startApp(server, { setup: answerWith(7000) });
    app.on('sipdialog:create', (e: SipDialogEvent) => void e.target.terminate());
    const terminated = nextDialogEvent(app, 'sipdialog:terminate');
    const sipp = await startSipp({
      scenario: scenario('caller-waits-for-bye.xml'),
      remote: server.sipHostport,
      service: 'bob',
    });

    const end = await terminated;
    expect(end.reason).toBe('normal near end release');
    expect(end.target.state).toBe('terminated');
    expect((await sipp.done).exitCode).toBe(0);
  });

  it('delivers a re-INVITE from the far end to the dialog and learns the new SDPs', async () => {
    app = await startApp(server, { setup: answerWith(7000) });
    const reinvites: string[] = [];
    app.on('sipdialog:create', (e: SipDialogEvent) => {
      e.target.on('reinvite', (req: Request, res: Response) => {
        reinvites.push(req.body);
        res.send(200, { headers: SDP_HEADERS, body: sdp(7002) });
      });
    });
    const terminated = nextDialogEvent(app, 'sipdialog:terminate');
    const sipp = await startSipp({
      scenario: scenario('caller-reinvites.xml'),
      remote: server.sipHostport,
      service: 'bob',
    });

    const end = await terminated;
    expect(reinvites).toHaveLength(1);
    expect(end.target.remote.sdp).toContain('m=audio 6002');
    expect(end.target.local.sdp).toContain('m=audio 7002');
    expect(end.reason).toBe('normal far end release');
    expect((await sipp.done).exitCode).toBe(0);
  });

  it('tells the dialog when the far end puts it on hold and takes it off', async () => {
    app = await startApp(server, { setup: answerWith(7000) });
    const heard: string[] = [];
    app.on('sipdialog:create', (e: SipDialogEvent) => {
      const dialog = e.target;
      dialog.on('reinvite', (req: Request, res: Response) => {
        res.send(200, {
          headers: SDP_HEADERS,
          body: sdp(7000, req.body.includes('a=sendonly') ? 'recvonly' : 'sendrecv'),
        });
      });
      dialog.on('hold', () => heard.push(`hold ${dialog.heldByFarEnd}`));
      dialog.on('unhold', () => heard.push(`unhold ${dialog.heldByFarEnd}`));
    });
    const terminated = nextDialogEvent(app, 'sipdialog:terminate');
    const sipp = await startSipp({
      scenario: scenario('caller-holds.xml'),
      remote: server.sipHostport,
      service: 'bob',
    });

    await terminated;
    expect(heard).toEqual(['hold true', 'unhold false']);
    expect((await sipp.done).exitCode).toBe(0);
  });

  it('puts the far end on hold and back with re-INVITEs from the app', async () => {
    app = await startApp(server, { setup: answerWith(7000) });
    const steps: string[] = [];
    app.on('sipdialog:create', async (e: SipDialogEvent) => {
      const dialog = e.target;
      const held = await dialog.hold();
      steps.push(`hold ${held.status} ${dialog.onHold}`);
      const resumed = await dialog.unhold();
      steps.push(`unhold ${resumed.status} ${dialog.onHold}`);
      await dialog.terminate();
    });
    const terminated = nextDialogEvent(app, 'sipdialog:terminate');
    const sipp = await startSipp({
      scenario: scenario('caller-is-held.xml'),
      remote: server.sipHostport,
      service: 'bob',
    });

    const end = await terminated;
    expect(steps).toEqual(['hold 200 true', 'unhold 200 false']);
    expect(end.reason).toBe('normal near end release');
    expect(end.target.remote.sdp).toContain('a=sendrecv');
    expect((await sipp.done).exitCode).toBe(0);
  });

  it('delivers INFO and UPDATE to the dialog and to app[verb], and sends INFO in it', async () => {
    const infos: string[] = [];
    const updates: string[] = [];
    app = await startApp(server, {
      setup: (a) => {
        answerWith(7000)(a);
        // The dialog gets in-dialog requests as events, and app[verb] still sees them too.
        a.info((req: Request, _res: Response, next) => {
          infos.push(`app ${req.dialog?.id === undefined ? 'without' : 'with'} dialog`);
          next();
        });
      },
    });
    app.on('sipdialog:create', (e: SipDialogEvent) => {
      const dialog = e.target;
      dialog.on('info', (req: Request, res: Response) => {
        infos.push(`dialog ${req.body.trim().split('\r\n')[0]}`);
        res.send(200);
      });
      dialog.on('update', (req: Request, res: Response) => {
        updates.push(req.method);
        res.send(200, { headers: SDP_HEADERS, body: sdp(7004) });
        void dialog.request('INFO', { headers: { 'content-type': 'text/plain' }, body: 'pong' });
      });
    });
    const terminated = nextDialogEvent(app, 'sipdialog:terminate');
    const sipp = await startSipp({
      scenario: scenario('caller-info-update.xml'),
      remote: server.sipHostport,
      service: 'bob',
    });

    const end = await terminated;
    expect(infos).toEqual(['dialog Signal=5', 'app with dialog']);
    expect(updates).toEqual(['UPDATE']);
    expect(end.target.remote.sdp).toContain('m=audio 6004');
    expect(end.target.local.sdp).toContain('m=audio 7004');
    expect((await sipp.done).exitCode).toBe(0);
  });

  it('sends UPDATE, OPTIONS, MESSAGE, REFER and NOTIFY inside the dialog', async () => {
    app = await startApp(server, { setup: answerWith(7000) });
    const answers: string[] = [];
    app.on('sipdialog:create', async (e: SipDialogEvent) => {
      const dialog = e.target;
      const update = await dialog.request('UPDATE', { headers: SDP_HEADERS, body: sdp(7006) });
      answers.push(`UPDATE ${update.status}`);
      for (const [method, opts] of [
        ['OPTIONS', {}],
        ['MESSAGE', { headers: { 'content-type': 'text/plain' }, body: 'hello' }],
        ['REFER', { headers: { 'refer-to': '<sip:carol@127.0.0.1>' } }],
        [
          'NOTIFY',
          {
            headers: {
              event: 'refer',
              'subscription-state': 'terminated;reason=noresource',
              'content-type': 'message/sipfrag',
            },
            body: 'SIP/2.0 200 OK\r\n',
          },
        ],
      ] as const) {
        const res = await dialog.request(method, opts);
        answers.push(`${method} ${res.status}`);
      }
      await dialog.terminate();
    });
    const terminated = nextDialogEvent(app, 'sipdialog:terminate');
    const sipp = await startSipp({
      scenario: scenario('caller-answers-requests.xml'),
      remote: server.sipHostport,
      service: 'bob',
    });

    const end = await terminated;
    expect(answers).toEqual([
      'UPDATE 200',
      'OPTIONS 200',
      'MESSAGE 200',
      'REFER 202',
      'NOTIFY 200',
    ]);
    expect(end.target.local.sdp).toContain('m=audio 7006');
    expect(end.target.remote.sdp).toContain('m=audio 6006');
    expect(end.reason).toBe('normal near end release');
    expect((await sipp.done).exitCode).toBe(0);
  });

  it('creates an early dialog on a PRACKed reliable 183, then confirms the same dialog', async () => {
    app = await startApp(server, {
      setup: (a) =>
        a.invite((req: Request, res: Response) => {
          res.send(183, { headers: { ...SDP_HEADERS, require: '100rel' }, body: sdp(7000) });
          req.prack(() =>
            setTimeout(() => res.send(200, { headers: SDP_HEADERS, body: sdp(7000) }), 50),
          );
        }),
    });
    const earlyStates: string[] = [];
    app.on('sipdialog:create-early', (e: SipDialogEvent) => earlyStates.push(e.target.state));
    const early = nextDialogEvent(app, 'sipdialog:create-early');
    const created = nextDialogEvent(app, 'sipdialog:create');
    const terminated = nextDialogEvent(app, 'sipdialog:terminate');
    const sipp = await startSipp({
      scenario: scenario('caller-100rel.xml'),
      remote: server.sipHostport,
      service: 'bob',
    });

    const e1 = await early;
    expect(e1.target).toBeInstanceOf(SipDialog);
    const e2 = await created;
    expect(earlyStates).toEqual(['early']);
    expect(e2.target).toBe(e1.target);
    expect(e2.target.times.connect).toBeInstanceOf(Date);
    expect((await terminated).reason).toBe('normal far end release');
    expect((await sipp.done).exitCode).toBe(0);
  });

  it("ends an early dialog turned down with a final error as 'call rejected'", async () => {
    app = await startApp(server, {
      setup: (a) =>
        a.invite((req: Request, res: Response) => {
          res.send(183, { headers: { ...SDP_HEADERS, require: '100rel' }, body: sdp(7000) });
          req.prack(() => setTimeout(() => res.send(486), 50));
        }),
    });
    const early = nextDialogEvent(app, 'sipdialog:create-early');
    const terminated = nextDialogEvent(app, 'sipdialog:terminate');
    const sipp = await startSipp({
      scenario: scenario('caller-100rel-rejected.xml'),
      remote: server.sipHostport,
      service: 'bob',
    });

    const dialog = (await early).target;
    const end = await terminated;
    expect(end.target).toBe(dialog);
    expect(end.reason).toBe('call rejected');
    expect(dialog.times.connect).toBeUndefined();
    expect((await sipp.done).exitCode).toBe(0);
  });
});
