import type { DialogNotice } from 'drachtio-protocol';
import drachtio from '../src/index';
import { fakeWire, sipRequest, tick } from './support/fake-wire';

/** Unit tests of the application's request pipeline, with the wire client replaced (see support/fake-wire). */

const INVITE = sipRequest('INVITE');
const withMethod = (method: string): string => sipRequest(method);

describe('application request pipeline', () => {
  it('runs app.use middleware in order, then the app[verb] route', async () => {
    const { app, sent, deliver } = fakeWire();
    const trail: string[] = [];
    app.use((_req, _res, next) => (trail.push('first'), next()));
    app.use('invite', (_req, _res, next) => (trail.push('invite-only'), next()));
    app.use('register', (_req, _res, next) => (trail.push('register-only'), next()));
    app.invite((req, res) => {
      trail.push(`route ${req.method} from ${req.get('from').url.user} tag ${req.get('from').tag}`);
      res.send(486, { headers: { 'user-agent': 'busy' } });
    });
    deliver(INVITE);
    await tick();
    expect(trail).toEqual(['first', 'invite-only', 'route INVITE from alice tag abc']);
    expect(sent.find((s) => s.command === 'respond')?.data).toMatchObject({
      status: 486,
      headers: { 'user-agent': 'busy' },
    });
  });

  it('an explicitly mounted app.router runs where it was mounted', async () => {
    const { app, deliver } = fakeWire();
    const trail: string[] = [];
    app.use(app.router);
    app.use((_req, _res, next) => (trail.push('after-router'), next()));
    app.invite((_req, _res, next) => (trail.push('route'), next()));
    deliver(INVITE);
    await tick();
    expect(trail).toEqual(['route', 'after-router']);
  });

  it('answers by default when nothing answered: 404 for INVITE, 200 for BYE and OPTIONS, nothing for ACK', async () => {
    const { deliver, statuses } = fakeWire();
    deliver(INVITE);
    deliver(withMethod('BYE'), { dialogId: 'd1' });
    deliver(withMethod('OPTIONS'));
    deliver(withMethod('ACK'), { dialogId: 'd1' });
    await tick();
    expect(statuses()).toEqual([404, 200, 200]);
  });

  it('an error nobody handles is answered with 500 and reported on the error event', async () => {
    const { app, deliver, statuses } = fakeWire();
    const errors: Error[] = [];
    app.on('error', (err) => errors.push(err));
    app.invite(() => {
      throw new Error('database down');
    });
    deliver(INVITE);
    await tick();
    expect(statuses()).toEqual([500]);
    expect(errors.map((e) => e.message)).toEqual(['database down']);
  });

  it('error middleware (arity 4) receives errors from routes and can answer', async () => {
    const { app, sent, deliver } = fakeWire();
    app.use(app.router);
    app.use(
      (
        err: unknown,
        _req: drachtio.Request,
        res: drachtio.Response,
        _next: drachtio.NextFunction,
      ) => {
        res.send(503, (err as Error).message);
      },
    );
    app.invite(async () => {
      throw new Error('try later');
    });
    deliver(INVITE);
    await tick();
    expect(sent.find((s) => s.command === 'respond')?.data).toMatchObject({
      status: 503,
      reason: 'try later',
    });
  });

  it('res.send accepts (status), (status, reason), (status, opts) and (status, reason, opts) and refuses a second final', async () => {
    const { app, sent, deliver } = fakeWire();
    const responses: drachtio.Response[] = [];
    app.invite((_req, res) => void responses.push(res));
    for (let i = 0; i < 4; i++) deliver(INVITE);
    await tick();
    responses[0].send(180);
    responses[1].send(500, 'Internal Server Error - Database down');
    responses[2].send(200, { body: 'v=0', headers: { 'content-type': 'application/sdp' } });
    responses[3].send(500, 'Database down', { headers: { 'X-My-Special-thingy': 'shiny' } });
    expect(sent.map((s) => s.data)).toEqual([
      { transactionId: expect.any(String), status: 180 },
      {
        transactionId: expect.any(String),
        status: 500,
        reason: 'Internal Server Error - Database down',
      },
      {
        transactionId: expect.any(String),
        status: 200,
        body: 'v=0',
        headers: { 'content-type': 'application/sdp' },
      },
      {
        transactionId: expect.any(String),
        status: 500,
        reason: 'Database down',
        headers: { 'X-My-Special-thingy': 'shiny' },
      },
    ]);
    expect(responses[0].headersSent).toBe(false);
    expect(responses[1].headersSent).toBe(true);
    expect(() => responses[1].send(200)).toThrow(/already sent/);
    expect(() => responses[0].send(42)).toThrow(RangeError);
  });

  it('registers the verbs it handles with the server', async () => {
    const { app } = fakeWire();
    const setRoutes = jest.spyOn(drachtio.internalsOf(app).agent, 'setRoutes');
    app.invite(() => undefined);
    app.use('register', (_req, _res, next) => next());
    app.ack(() => undefined);
    await tick();
    expect(setRoutes).toHaveBeenLastCalledWith(['INVITE', 'REGISTER']);
  });

  it('a CANCEL marks the INVITE inactive and calls req.cancel handlers', async () => {
    const { app, deliver } = fakeWire();
    let invite: drachtio.Request | undefined;
    const canceled: string[] = [];
    app.invite((req, res) => {
      invite = req;
      res.send(180);
      req.cancel((cancel) => canceled.push(cancel.method));
    });
    const transactionId = deliver(INVITE);
    await tick();
    expect(invite?.active).toBe(true);
    drachtio
      .internalsOf(app)
      .agent.emit(
        'cancel',
        { transactionId, source: { address: '10.0.0.1', port: 5060, transport: 'udp' } },
        withMethod('CANCEL'),
      );
    expect(invite?.active).toBe(false);
    expect(canceled).toEqual(['CANCEL']);
  });
});

describe('dialog notices, PRACK and early dialogs', () => {
  const prackFor = (inviteTransactionId: string) => ({
    inviteTransactionId,
    dialogId: 'early-1',
    answered: true as const,
  });

  it('hands every dialog notice to the onDialog hooks', () => {
    const { app } = fakeWire();
    const notices: DialogNotice[] = [];
    app.addHook('onDialog', (notice) => notices.push(notice));
    const notice: DialogNotice = {
      dialogId: 'd-1',
      event: 'terminated',
      role: 'uas',
      callId: 'c',
      reason: 'ack timeout',
    };
    drachtio.internalsOf(app).agent.emit('dialog', notice);
    expect(notices).toEqual([notice]);
  });

  it('refuses a hook it does not declare', () => {
    const { app } = fakeWire();
    expect(() => app.addHook('onNothing' as drachtio.HookName, () => undefined)).toThrow(
      /no hook 'onNothing'/,
    );
  });

  it("emits 'sipdialog:create-early' once per early dialog when a PRACK arrives, and req.prack runs", async () => {
    const { app, deliver } = fakeWire();
    const early: drachtio.EarlyDialogEvent[] = [];
    const pracks: string[] = [];
    app.on('sipdialog:create-early', (e) => early.push(e));
    app.invite((req, res) => {
      res.send(183, { headers: { Require: '100rel' } });
      req.prack((prack) => pracks.push(prack.method));
    });
    const invite = deliver(INVITE);
    await tick();
    deliver(withMethod('PRACK'), prackFor(invite));
    deliver(withMethod('PRACK'), prackFor(invite));
    await tick();
    expect(pracks).toEqual(['PRACK', 'PRACK']);
    expect(early).toHaveLength(1);
    expect(early[0]).toMatchObject({
      type: 'sipdialog:create-early',
      target: { role: 'uas', dialogId: 'early-1', callId: 'call-1' },
    });
  });

  it('never answers a PRACK the server answered: its response starts as sent, and sending on it throws', async () => {
    const { app, deliver, statuses } = fakeWire();
    const seen: drachtio.Response[] = [];
    app.use('prack', (_req, res, next) => {
      seen.push(res);
      next();
    });
    app.invite((req, res) => void res.send(183, { headers: { Require: '100rel' } }));
    const invite = deliver(INVITE);
    await tick();
    deliver(withMethod('PRACK'), prackFor(invite));
    await tick();
    expect(statuses()).toEqual([183]);
    expect(seen[0]).toMatchObject({
      answeredByServer: true,
      headersSent: true,
      finished: true,
      statusCode: 200,
    });
    expect(() => seen[0]?.send(200)).toThrow(/already answered this PRACK/);
  });

  it('leaves early dialogs to the onEarlyDialog hooks when a package added one', async () => {
    const { app, deliver } = fakeWire();
    const early = jest.fn();
    const hooked: drachtio.EarlyDialog[] = [];
    app.on('sipdialog:create-early', early);
    app.addHook('onEarlyDialog', (dialog) => hooked.push(dialog));
    app.invite((_req, res) => void res.send(183, { headers: { Require: '100rel' } }));
    const invite = deliver(INVITE);
    await tick();
    deliver(withMethod('PRACK'), prackFor(invite));
    await tick();
    expect(early).not.toHaveBeenCalled();
    expect(hooked).toMatchObject([
      { role: 'uas', dialogId: 'early-1', prack: { method: 'PRACK' } },
    ]);
  });
});
