import { startSipp } from 'drachtio-test-kit';
import type { SipRequest } from 'drachtio-sip';
import drachtio from '../../src/index';
import { expectSippSuccess, scenario } from '../support/scenarios';
import { SECRET, startTestServer, type TestServer } from '../support/server';

/** The seed's UAC snippets against a real drachtio-server-ts, with sipp answering. */

const mySdp = [
  'v=0',
  'o=alice 1000 1 IN IP4 127.0.0.1',
  's=-',
  'c=IN IP4 127.0.0.1',
  't=0 0',
  'm=audio 6000 RTP/AVP 0',
  '',
].join('\r\n');
const sdp = mySdp;

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.stop();
});

const answering = (name: string) => startSipp({ scenario: scenario(name), service: 'bob' });

describe('seed: sending sip requests', () => {
  it('app.uac.options after connecting: the callback gets the 200, then app.disconnect()', async () => {
    const sipp = await answering('uas-options');
    const app = drachtio();
    const status = new Promise<number | undefined>((resolve, reject) => {
      app.connect({
        host: '127.0.0.1',
        port: server.adminPort,
        secret: SECRET,
      });

      /* send one OPTIONS ping after connecting */
      app.once('connect', function (err) {
        if (err) throw err;
        app.uac.options(sipp.uri('1234'), function (err, req, res) {
          if (err) reject(err);
          else resolve(res?.statusCode);
          app.disconnect();
        });
      });
    });
    expect(await status).toBe(200);
    expectSippSuccess(await sipp.done);
  });

  it('the same request awaited as a promise, with the request known after sending', async () => {
    const sipp = await answering('uas-options');
    const app = await server.connectApp();
    const request = app.uac.options(sipp.uri('1234'));
    const res = await request;
    expect(res.status).toBe(200);
    expect(res.reason).toBe('OK');
    expect(request.method).toBe('OPTIONS');
    expect(request.callId).toBe(res.getHeader('call-id'));
    expect(res.req).toBe(request);
    expectSippSuccess(await sipp.done);
  });

  it('res.ack({body}) acknowledges a 2xx to an INVITE sent without a body (late offer)', async () => {
    const sipp = await answering('uas-invite-late-offer');
    const app = drachtio();
    const siprequest = app.uac;
    app.connect({ host: '127.0.0.1', port: server.adminPort, secret: SECRET });

    // Sent before the connection is up: it waits for the connection.
    const answered = new Promise<drachtio.IncomingResponse>((resolve, reject) => {
      siprequest(sipp.uri('1234'), function (err, req, res) {
        if (err) return reject(err);
        if (res?.statusCode === 200) {
          res.ack({
            body: mySdp,
            headers: {
              'content-type': 'application/sdp',
            },
          });
          resolve(res);
        }
      });
    });
    const res = await answered;
    expect(res.body).toContain('m=audio 7000');
    expect(res.dialogId).toEqual(expect.any(String));
    const bye = await app.request({ method: 'BYE', dialogId: res.dialogId as string });
    expect(bye.status).toBe(200);
    expectSippSuccess(await sipp.done);
    app.disconnect();
  });

  it('cancelRequest(): the INVITE is canceled and the callback gets the 487', async () => {
    const sipp = await answering('uas-invite-cancel');
    const app = await server.connectApp();
    const final = new Promise<number | undefined>((resolve, reject) => {
      const request = app.uac(
        sipp.uri('234'),
        {
          headers: {
            'content-type': 'application/sdp',
          },
          body: sdp,
        },
        function (err, req, res) {
          if (err) return reject(err);
          if (res?.statusCode === 200) res.ack();
          resolve(res?.statusCode);
        },
      );
      // The seed cancels after a second; here as soon as the far end rings.
      request.on('provisional', (provisional) => {
        if (provisional.status === 180) request.cancelRequest();
      });
    });
    expect(await final).toBe(487);
    expectSippSuccess(await sipp.done);
  });

  it('reliable provisional responses as UAC: Require: 100rel, the server PRACKs, sipdialog:create-early fires', async () => {
    const sipp = await answering('uas-invite-100rel');
    const early: drachtio.EarlyDialogEvent[] = [];
    const provisional: number[] = [];
    const app = await server.connectApp((app) =>
      app.on('sipdialog:create-early', (e) => early.push(e)),
    );
    const res = await new Promise<drachtio.IncomingResponse | undefined>((resolve, reject) => {
      app
        .uac(
          sipp.uri('234'),
          {
            headers: {
              'content-type': 'application/sdp',
              supported: '100rel',
              require: '100rel',
            },
            body: sdp,
          },
          function (err, req, res) {
            if (err) reject(err);
            else resolve(res);
          },
        )
        .on('provisional', (p) => provisional.push(p.status));
    });
    expect(res?.statusCode).toBe(200);
    expect(provisional).toContain(183);
    expect(early).toHaveLength(1);
    expect(early[0].target).toMatchObject({ role: 'uac', dialogId: res?.dialogId });
    await app.request({ method: 'BYE', dialogId: res?.dialogId as string });
    expectSippSuccess(await sipp.done);
  });

  it('answers a 401 challenge automatically when opts.auth is given (against drachtio.digestAuth)', async () => {
    await server.connectApp((registrar) => {
      registrar.use(
        'register',
        drachtio.digestAuth('dracht.io', (realm, user, fn) =>
          fn(null, user === 'dhorton' ? 'foobar' : null),
        ),
      );
      registrar.register((req, res) => res.send(200, { headers: { expires: 1800 } }));
    });
    const client = await server.connectApp();
    const uri = `sip:dhorton@${server.sipHostport}`;
    const accepted = await client.uac.register(uri, {
      auth: { username: 'dhorton', password: 'foobar' },
    });
    expect(accepted.status).toBe(200);
    expect(accepted.getHeader('expires')).toBe('1800');
    const refused = await client.uac.register(uri, {
      auth: { username: 'dhorton', password: 'wrong' },
    });
    expect(refused.status).toBe(403);
    const unanswered = await client.uac.register(uri);
    expect(unanswered.status).toBe(401);
  });

  it('answers a 407 proxy challenge automatically (digestAuth with proxy: true)', async () => {
    await server.connectApp((proxy) => {
      proxy.use(
        'message',
        drachtio.digestAuth('proxy.dracht.io', (realm, user, fn) => fn(null, 'foobar'), {
          proxy: true,
        }),
      );
      proxy.message((req, res) =>
        res.send(202, { headers: { 'x-authorized-user': req.authorization?.username ?? '' } }),
      );
    });
    const client = await server.connectApp();
    const challenged = client.uac.message(`sip:bob@${server.sipHostport}`, {
      headers: { 'content-type': 'text/plain' },
      body: 'hello',
      auth: { username: 'dhorton', password: 'foobar' },
    });
    const sent: string[] = [];
    challenged.on('sent', (msg) => sent.push(msg.getHeader('proxy-authorization') ?? 'none'));
    const res = await challenged;
    expect(res.status).toBe(202);
    expect(res.getHeader('x-authorized-user')).toBe('dhorton');
    expect(sent).toEqual(['none', expect.stringMatching(/^Digest .*username="dhorton"/)]);
  });
});

/** "Call-ID From-tag CSeq" of a request as sipp saw it, from the header its 200 reports it in. */
function seenBySipp(
  res: drachtio.IncomingResponse,
  header: 'x-challenged' | 'x-retried',
): { callId: string; fromTag: string; cseq: number } {
  const [callId = '', fromTag = '', cseq = ''] = (res.getHeader(header) ?? '').split(' ');
  return { callId, fromTag, cseq: Number(cseq) };
}

/**
 * The challenged request and its retry, as sipp saw them (`res` reports both) and as the server
 * sent them (`sent`): the same Call-ID, From and To, the CSeq one higher. Returns what sipp saw
 * of the first one, and the retry as sent.
 */
function expectRetriedInSameCall(
  res: drachtio.IncomingResponse,
  sent: SipRequest[],
  method: string,
) {
  const challenged = seenBySipp(res, 'x-challenged');
  expect(challenged).toEqual({
    callId: expect.stringMatching(/\S/),
    fromTag: expect.stringMatching(/\S/),
    cseq: 1,
  });
  expect(seenBySipp(res, 'x-retried')).toEqual({ ...challenged, cseq: 2 });
  expect(sent).toHaveLength(2);
  const [first, retry] = sent as [SipRequest, SipRequest];
  expect(retry.getHeader('call-id')).toBe(first.getHeader('call-id'));
  expect(retry.getHeader('from')).toBe(first.getHeader('from'));
  expect(retry.getHeader('to')).toBe(first.getHeader('to'));
  expect(retry.get('cseq')).toEqual({ seq: 2, method });
  return { challenged, retry };
}

describe('authentication retries (RFC 3261 8.1.3.5, 22.2): same Call-ID, From tag and To, CSeq + 1', () => {
  const auth = { username: 'alice', password: 'secret' };

  it("app.uac.register answers sipp's 401 in the same call; a refresh via app.request keeps the Call-ID and is answered the same way", async () => {
    const sipp = await startSipp({
      scenario: scenario('uas-register-challenge'),
      service: 'registrar',
    });
    const app = await server.connectApp();
    const identity = {
      From: '<sip:alice@example.com>',
      To: '<sip:alice@example.com>',
      Contact: `<sip:alice@${server.sipHostport}>`,
      Expires: 60,
    };
    const registration = app.uac.register(sipp.uri('alice'), { auth, headers: identity });
    const sent: SipRequest[] = [];
    registration.on('sent', (msg) => sent.push(msg));
    const registered = await registration;
    expect(registered.status).toBe(200);

    const { challenged, retry } = expectRetriedInSameCall(registered, sent, 'REGISTER');
    expect(retry.getHeader('authorization')).toMatch(/^Digest .*username="alice"/);
    expect(registration.callId).toBe(challenged.callId);

    // RFC 3261 10.2.4: a refresh keeps the registration's Call-ID, its CSeq one above the last REGISTER's.
    const refresh = app.request({
      method: 'REGISTER',
      uri: sipp.uri('alice'),
      auth,
      headers: {
        ...identity,
        'Call-ID': registration.callId ?? '',
        CSeq: `${retry.get('cseq').seq + 1} REGISTER`,
      },
    });
    const refreshed = await refresh;
    expect(refreshed.status).toBe(200);
    const refreshChallenged = seenBySipp(refreshed, 'x-challenged');
    expect(refreshChallenged).toEqual({
      callId: challenged.callId,
      fromTag: expect.stringMatching(/\S/),
      cseq: 3,
    });
    expect(seenBySipp(refreshed, 'x-retried')).toEqual({ ...refreshChallenged, cseq: 4 });
    expect(refresh.callId).toBe(challenged.callId);
    expectSippSuccess(await sipp.done);
  });

  it("app.uac (INVITE) answers sipp's 401 in the same call, the 401 ACKed; the answered call is the retry's dialog", async () => {
    const sipp = await startSipp({ scenario: scenario('uas-invite-challenge'), service: 'bob' });
    const app = await server.connectApp();
    const call = app.uac(sipp.uri('bob'), { body: sdp, auth });
    const sent: SipRequest[] = [];
    call.on('sent', (msg) => sent.push(msg));
    const res = await call;
    expect(res.status).toBe(200);

    expectRetriedInSameCall(res, sent, 'INVITE');
    expect(res.dialogId).toEqual(expect.any(String));

    await app.request({ method: 'BYE', dialogId: res.dialogId as string });
    expectSippSuccess(await sipp.done);
  });
});
