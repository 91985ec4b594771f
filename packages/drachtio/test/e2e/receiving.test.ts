import { runSipp } from 'drachtio-test-kit';
import drachtio from '../../src/index';
import { expectSippSuccess, scenario } from '../support/scenarios';
import { startTestServer, type TestServer } from '../support/server';

/** The seed's UAS snippets against a real drachtio-server-ts, with sipp calling in. */

const mySdp = [
  'v=0',
  'o=drachtio 1 1 IN IP4 127.0.0.1',
  's=-',
  'c=IN IP4 127.0.0.1',
  't=0 0',
  'm=audio 9000 RTP/AVP 0',
  '',
].join('\r\n');

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.stop();
});

const call = (name: string, values?: Record<string, string | number>, service = 'drachtio') =>
  runSipp({ scenario: scenario(name, values), remote: server.sipHostport, service });

describe('seed: receiving sip requests', () => {
  it('quick start: app.invite answers 486 with a custom User-Agent', async () => {
    await server.connectApp((app) => {
      app.invite(function (req, res) {
        res.send(486, {
          headers: {
            'user-agent': "Drachtio rocksz - but he's busy right now!",
          },
        });
      });
    });
    expectSippSuccess(
      await call('uac-invite-rejected', {
        status: 486,
        expect: "[Uu]ser-[Aa]gent: Drachtio rocksz - but he's busy right now!",
      }),
    );
  });

  it('app.invite answers 200 with an SDP body; the BYE is answered 200 by default', async () => {
    await server.connectApp((app) => {
      app.invite(function (req, res) {
        res.send(200, {
          body: mySdp,
          headers: {
            'content-type': 'application/sdp',
          },
        });
      });
    });
    expectSippSuccess(await call('uac-invite-answered'));
  });

  it('session snippet: an app.bye handler that only logs still gets its BYE answered 200', async () => {
    const seen: string[] = [];
    await server.connectApp((app) => {
      app.invite(function (req, res) {
        res.send(200, { body: mySdp, headers: { 'content-type': 'application/sdp' } });
      });
      app.bye(function (req) {
        seen.push(`sync ${req.method}`);
      });
    });
    expectSippSuccess(await call('uac-invite-answered'));
    expect(seen).toEqual(['sync BYE']);
  });

  it('an async app.bye handler that answers nothing is answered 200 once its promise settles', async () => {
    const seen: string[] = [];
    await server.connectApp((app) => {
      app.invite(function (req, res) {
        res.send(200, { body: mySdp, headers: { 'content-type': 'application/sdp' } });
      });
      app.bye(async function (req, res) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        seen.push(`async ${req.method} answered=${res.headersSent}`);
      });
    });
    expectSippSuccess(await call('uac-invite-answered'));
    expect(seen).toEqual(['async BYE answered=false']);
  });

  it('app.register answers 200 with Expires: 1800', async () => {
    await server.connectApp((app) => {
      app.register(function (req, res) {
        res.send(200, {
          headers: {
            expires: 1800,
          },
        });
      });
    });
    expectSippSuccess(await call('uac-register'));
  });

  it('custom headers: 500 with a custom reason phrase and X-My-Special-thingy', async () => {
    await server.connectApp((app) => {
      app.invite(function (req, res) {
        res.send(500, 'Internal Server Error - Database down', {
          headers: {
            'X-My-Special-thingy': 'isnt my custom header shiny pretty?',
          },
        });
      });
    });
    expectSippSuccess(
      await call('uac-invite-rejected', {
        status: 500,
        expect: 'SIP/2.0 500 Internal Server Error - Database down',
      }),
    );
    expectSippSuccess(
      await call('uac-invite-rejected', {
        status: 500,
        expect: 'X-My-Special-thingy: isnt my custom header shiny pretty[?]',
      }),
    );
  });

  it('header parsing: req.get("from").tag and req.get("from").url.user', async () => {
    const seen: Array<{
      tag: string | undefined;
      user: string | undefined;
      callId: string;
      protocol: string;
      source: string;
    }> = [];
    await server.connectApp((app) => {
      app.invite(function (req, res) {
        seen.push({
          tag: req.get('from').tag,
          user: req.get('from').url.user,
          callId: req.callId,
          protocol: req.protocol,
          source: req.source_address,
        });
        res.send(486);
      });
    });
    const result = await call('uac-invite-rejected', { status: 486, expect: 'Busy Here' });
    expectSippSuccess(result);
    expect(seen).toHaveLength(1);
    expect(seen[0].tag).toMatch(/^\d+SIPpTag001$/);
    expect(seen[0].user).toBe('alice');
    expect(seen[0].callId).toMatch(/^1-\d+@127\.0\.0\.1$/);
    expect(seen[0]).toMatchObject({ protocol: 'udp', source: '127.0.0.1' });
  });

  it('req.cancel: the handler runs, req.active turns false, and no 200 follows', async () => {
    const canceled = new Promise<{ active: boolean; method: string }>((resolve) => {
      void server.connectApp((app) => {
        app.invite(function (req, res) {
          res.send(180);
          req.cancel(function (cancel) {
            resolve({ active: req.active, method: cancel.method });
            // eslint-disable-next-line @typescript-eslint/no-unused-expressions -- the seed's idiom
            req.active &&
              res.send(200, {
                headers: { 'content-type': 'application/sdp' },
                body: mySdp,
              });
          });
        });
      });
    });
    const sipp = call('uac-invite-cancel');
    expect(await canceled).toEqual({ active: false, method: 'CANCEL' });
    expectSippSuccess(await sipp);
  });

  it('reliable provisional responses: 183 with Require: 100rel, req.prack, then 200; sipdialog:create-early fires', async () => {
    const early: drachtio.EarlyDialogEvent[] = [];
    const pracks: string[] = [];
    await server.connectApp((app) => {
      app.invite(function (req, res) {
        res.send(183, {
          headers: {
            'Content-Type': 'application/sdp',
            Require: '100rel',
          },
          body: mySdp,
        });
        req.prack(function (prack) {
          pracks.push(prack.method);
          res.send(200, {
            headers: {
              'Content-Type': 'application/sdp',
            },
            body: mySdp,
          });
        });
      });
      app.on('sipdialog:create-early', function (e) {
        early.push(e);
      });
    });
    expectSippSuccess(await call('uac-invite-100rel'));
    expect(pracks).toEqual(['PRACK']);
    expect(early).toHaveLength(1);
    expect(early[0].target).toMatchObject({ role: 'uas', dialogId: expect.any(String) });
  });
});

describe('in-dialog requests and protected headers', () => {
  it('an INFO inside the dialog runs through middleware and app.info with req.dialogId; unanswered, it gets 200', async () => {
    const seen: Array<{ where: string; dialogId: string | undefined }> = [];
    let answered: string | undefined;
    await server.connectApp((app) => {
      app.use((req, res, next) => {
        if (req.method === 'INFO') seen.push({ where: 'middleware', dialogId: req.dialogId });
        next();
      });
      app.invite((req, res) => {
        res.send(200, { body: mySdp, headers: { 'content-type': 'application/sdp' } });
        res.once('finish', () => (answered = res.dialogId));
      });
      app.info((req, res, next) => {
        seen.push({
          where: `app.info ${req.body.trim().split('\r\n')[0]}`,
          dialogId: req.dialogId,
        });
        next();
      });
    });
    expectSippSuccess(await call('uac-invite-info'));
    expect(answered).toEqual(expect.any(String));
    expect(seen).toEqual([
      { where: 'middleware', dialogId: answered },
      { where: 'app.info Signal=5', dialogId: answered },
    ]);
  });

  it('a protected header set by the app is dropped; custom headers beside it pass', async () => {
    await server.connectApp((app) => {
      app.invite((req, res) =>
        res.send(486, {
          headers: { 'Call-ID': 'hijacked@example.com', 'X-Beside-It': 'still here' },
        }),
      );
    });
    // sipp matches the 486 by its Call-ID: a replaced Call-ID would never reach this call.
    expectSippSuccess(
      await call('uac-invite-rejected', { status: 486, expect: 'X-Beside-It: still here' }),
    );
  });
});

describe('seed: middleware', () => {
  it('a filter on signaling_address lets the allowed address through to app.router', async () => {
    await server.connectApp((app) => {
      app.use(function (req, res, next) {
        /* reject all messages except from one ip address */
        if (req.signaling_address !== '127.0.0.1') return res.send(403);
        next();
      });
      app.use(app.router);
      app.invite((req, res) => res.send(486));
    });
    expectSippSuccess(await call('uac-invite-rejected', { status: 486, expect: 'Busy Here' }));
  });

  it('a filter on signaling_address rejects any other address with 403', async () => {
    await server.connectApp((app) => {
      app.use(function (req, res, next) {
        if (req.signaling_address !== '192.168.1.52') return res.send(403);
        next();
      });
      app.use(app.router);
      app.invite((req, res) => res.send(486));
    });
    expectSippSuccess(await call('uac-invite-rejected', { status: 403, expect: 'Forbidden' }));
  });

  it('error middleware (arity 4) answers what a route threw', async () => {
    await server.connectApp((app) => {
      app.use(app.router);
      app.use(function (
        err: unknown,
        req: drachtio.Request,
        res: drachtio.Response,
        next: drachtio.NextFunction,
      ) {
        if (!(err instanceof Error)) return next(err);
        res.send(503, err.message);
      });
      app.invite(() => {
        throw new Error('Database Down');
      });
    });
    expectSippSuccess(
      await call('uac-invite-rejected', { status: 503, expect: 'SIP/2.0 503 Database Down' }),
    );
  });

  it("app.use('response') observes the responses to requests the app sends", async () => {
    const observed: number[] = [];
    const app = await server.connectApp((app) => {
      app.use('response', function (req, res, next) {
        observed.push(res.statusCode);
        next();
      });
    });
    // Sent to the server's own SIP address: nothing takes OPTIONS there, so the server answers itself.
    const res = await app.uac.options(`sip:nobody@${server.sipHostport}`);
    expect(observed).toEqual([res.statusCode]);
  });
});

describe('seed: digestAuth', () => {
  const registrar = (app: drachtio.Application): void => {
    app.use(
      'register',
      drachtio.digestAuth('dracht.io', function (realm, user, fn) {
        fn(null, 'foobar');
      }),
    );
    app.register((req, res) => res.send(200, { headers: { expires: 1800 } }));
  };

  it('challenges with 401 and accepts sipp answering with the right password', async () => {
    await server.connectApp(registrar);
    expectSippSuccess(
      await runSipp({
        scenario: scenario('uac-register-auth', { final: 200 }),
        remote: server.sipHostport,
        service: 'dhorton',
        args: ['-au', 'dhorton', '-ap', 'foobar'],
      }),
    );
  });

  it('rejects sipp answering with a wrong password with 403', async () => {
    await server.connectApp(registrar);
    expectSippSuccess(
      await runSipp({
        scenario: scenario('uac-register-auth', { final: 403 }),
        remote: server.sipHostport,
        service: 'dhorton',
        args: ['-au', 'dhorton', '-ap', 'wrong'],
      }),
    );
  });
});
