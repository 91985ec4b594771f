/**
 * The middleware against stand-ins for drachtio's app, request and response (EventEmitters with
 * the fields the core contract names). End-to-end behaviour with a real server is in e2e tests.
 */
import { EventEmitter, once } from 'node:events';
import { MemoryStore, session, Session, SessionStoreError, Store } from '../src';
import { FakeApp, FakeResponse, type FakeRequest } from './support/fake-host';

/** Run the middleware for one request; resolves with the session the handler saw (or undefined). */
function handle(
  middleware: ReturnType<typeof session>,
  req: FakeRequest,
  res: FakeResponse,
  handler: (req: FakeRequest, res: FakeResponse) => void = () => undefined,
): Promise<Session | undefined> {
  return new Promise((resolve) => {
    middleware(req, res, () => {
      handler(req, res);
      resolve(req.session);
    });
    res.once('finish', () => setImmediate(() => resolve(req.session)));
  });
}

/** Let the saves scheduled after a response reach the store. */
const settled = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('session middleware', () => {
  let app: FakeApp;
  let store: MemoryStore;
  let middleware: ReturnType<typeof session>;
  beforeEach(() => {
    app = new FakeApp();
    store = new MemoryStore();
    middleware = session({ store, ttl: 60 });
  });

  it('loads req.session before the handlers and saves it after the final response', async () => {
    const invite = { app, method: 'INVITE', callId: 'call-1' };
    await handle(middleware, invite, new FakeResponse('dialog-1'), (req, res) => {
      expect(req.session).toBeDefined();
      req.session!.user = 'DaveH';
      res.send(200);
    });
    await settled();
    const bye = { app, method: 'BYE', callId: 'call-1', dialogId: 'dialog-1' };
    let seen: unknown;
    await handle(middleware, bye, new FakeResponse(), (req, res) => {
      seen = req.session!.user;
      res.send(200);
    });
    expect(seen).toBe('DaveH');
    await settled();
    expect(await store.get('call-1')).toBeUndefined(); // the BYE ended the call's only dialog
  });

  it('does not store sessions that were never used', async () => {
    await handle(
      middleware,
      { app, method: 'OPTIONS', callId: 'ping' },
      new FakeResponse(),
      (_req, res) => res.send(200),
    );
    await settled();
    expect(store.size).toBe(0);
  });

  it('saves on req.session.save(), by promise and by callback', async () => {
    const req = { app, method: 'INVITE', callId: 'call-2' };
    const s = (await handle(middleware, req, new FakeResponse()))!;
    s.step = 1;
    await s.save();
    expect(await store.get('call-2')).toContain('"step":1');
    s.step = 2;
    await new Promise<void>((resolve, reject) => s.save((err) => (err ? reject(err) : resolve())));
    expect(await store.get('call-2')).toContain('"step":2');
    await s.destroy();
    expect(await store.get('call-2')).toBeUndefined();
  });

  it('saves an ACK once its handlers ran', async () => {
    await handle(
      middleware,
      { app, method: 'ACK', callId: 'call-3' },
      new FakeResponse(),
      (req) => {
        req.session!.acked = true;
      },
    );
    await settled();
    expect(await store.get('call-3')).toContain('"acked":true');
  });

  it('destroys the session when the last dialog of the call terminates', async () => {
    await handle(
      middleware,
      { app, method: 'INVITE', callId: 'call-4' },
      new FakeResponse('d4'),
      (req, res) => {
        req.session!.user = 'x';
        res.send(200);
      },
    );
    await settled();
    app.runHook('onDialog', { dialogId: 'd4', event: 'confirmed', callId: 'call-4', role: 'uas' });
    await settled();
    expect(await store.get('call-4')).toContain('"user":"x"');
    app.runHook('onDialog', {
      dialogId: 'd4',
      event: 'terminated',
      callId: 'call-4',
      role: 'uas',
      reason: 'ack timeout',
    });
    await settled();
    expect(await store.get('call-4')).toBeUndefined();
  });

  it('shares the session with the B leg of a B2BUA and ends it with the last leg', async () => {
    const uac = new EventEmitter() as EventEmitter & { callId?: string };
    await handle(
      middleware,
      { app, method: 'INVITE', callId: 'leg-a' },
      new FakeResponse('dialog-a'),
      (req, res) => {
        req.session!.user = 'DaveH';
        app.runHook('onB2bua', { uas: req, uac });
        uac.callId = 'leg-b';
        uac.emit('sent');
        app.runHook('onDialog', {
          dialogId: 'dialog-b',
          event: 'confirmed',
          callId: 'leg-b',
          role: 'uac',
        });
        res.send(200);
      },
    );
    await settled();
    let seenOnB: unknown;
    let idOnB: string | undefined;
    await handle(
      middleware,
      { app, method: 'INFO', callId: 'leg-b', dialogId: 'dialog-b' },
      new FakeResponse(),
      (req, res) => {
        seenOnB = req.session!.user;
        idOnB = req.session!.id;
        res.send(200);
      },
    );
    expect(seenOnB).toBe('DaveH');
    expect(idOnB).toBe('leg-a');
    await handle(
      middleware,
      { app, method: 'BYE', callId: 'leg-a', dialogId: 'dialog-a' },
      new FakeResponse(),
      (_req, res) => res.send(200),
    );
    await settled();
    expect(await store.get('leg-a')).toContain('DaveH'); // leg B still up
    app.runHook('onDialog', {
      dialogId: 'dialog-b',
      event: 'terminated',
      callId: 'leg-b',
      role: 'uac',
    });
    await settled();
    expect(await store.get('leg-a')).toBeUndefined();
    expect(await store.get('leg-b')).toBeUndefined();
  });

  it('leaves nothing behind for a call rejected before any dialog began, B leg alias included', async () => {
    const uac = Object.assign(new EventEmitter(), { callId: 'rejected-b' });
    await handle(
      middleware,
      { app, method: 'INVITE', callId: 'rejected-a' },
      new FakeResponse(),
      (req, res) => {
        req.session!.user = 'DaveH';
        app.runHook('onB2bua', { uas: req, uac });
        setTimeout(() => res.send(486), 10);
      },
    );
    await settled();
    expect(store.size).toBe(0);
  });

  it('leaves nothing behind for a call canceled before it was answered', async () => {
    const invite = Object.assign(new EventEmitter(), {
      app,
      method: 'INVITE',
      callId: 'canceled',
      active: true,
    });
    await new Promise<void>((resolve) =>
      middleware(invite, new FakeResponse(), () => {
        invite.session!.user = 'DaveH';
        void invite.session!.save().then(resolve);
      }),
    );
    expect(store.size).toBe(1);
    invite.active = false;
    invite.emit('cancel');
    await settled();
    expect(store.size).toBe(0);
  });

  it('answers with the failure status and emits error when the store fails, and recovers', async () => {
    let down = true;
    const flaky: Store = {
      get: (id) => (down ? Promise.reject(new Error('ECONNREFUSED')) : store.get(id)),
      set: (id, v, t) => store.set(id, v, t),
      destroy: (id) => store.destroy(id),
      touch: (id, t) => store.touch(id, t),
    };
    const guarded = session({ store: flaky, failureStatus: 500 });
    const errors: Error[] = [];
    app.on('error', (e: Error) => errors.push(e));
    const res = new FakeResponse();
    let handled = false;
    guarded({ app, method: 'INVITE', callId: 'c' }, res, () => (handled = true));
    await once(res, 'finish');
    expect(res.statusCode).toBe(500);
    expect(handled).toBe(false);
    expect(errors[0]).toBeInstanceOf(SessionStoreError);
    expect(errors[0].message).toMatch(/ECONNREFUSED/);

    down = false;
    const s = await handle(guarded, { app, method: 'INVITE', callId: 'c' }, new FakeResponse());
    expect(s).toBeDefined();
  });

  it('turns a silent store into 503 within the timeout', async () => {
    const silent: Store = {
      get: () => new Promise(() => undefined),
      set: () => Promise.resolve(),
      destroy: () => Promise.resolve(),
      touch: () => Promise.resolve(),
    };
    const guarded = session({ store: silent, timeout: 50 });
    app.on('error', () => undefined);
    const res = new FakeResponse();
    guarded({ app, method: 'INVITE', callId: 'slow' }, res, () => undefined);
    await once(res, 'finish');
    expect(res.statusCode).toBe(503);
  });

  it('rejects bad options with a clear error', () => {
    expect(() => session({ ttl: -1 })).toThrow(/ttl must be a positive number/);
    expect(() => session({ failureStatus: 404 as 503 })).toThrow(
      /failureStatus must be 500 or 503/,
    );
    expect(() => session({ store: {} as Store })).toThrow(/must implement get\(\)/);
  });
});
