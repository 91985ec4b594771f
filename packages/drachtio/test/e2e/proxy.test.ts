import { runSipp, startSipp, type SippProcess } from 'drachtio-test-kit';
import type drachtio from '../../src/index';
import { expectSippSuccess, scenario } from '../support/scenarios';
import { startTestServer, type TestServer } from '../support/server';

/**
 * req.proxy() end to end: sipp calls drachtio-server-ts, the app proxies the INVITE to sipp
 * callees, and the server does the rest (RFC 3261 section 16). sipp sends everything to the
 * address it called, so an answered call is record-routed: its ACK and BYE then carry a Route
 * to the server, which forwards them to the callee.
 */

let server: TestServer;
let callees: SippProcess[] = [];
beforeEach(async () => {
  server = await startTestServer();
  callees = [];
});
afterEach(async () => {
  for (const callee of callees) await callee.kill();
  await server.stop();
});

const RINGS = { name: 'uas-invite-cancel' };
const reject = (status: number, reason: string) => ({
  name: 'uas-invite-reject',
  values: { status, reason },
});
const answers = (delay = 0, byeVia = 'BYE') => ({
  name: 'proxy-uas-answer',
  values: { delay, byeVia },
});

async function callee(spec: {
  name: string;
  values?: Record<string, string | number>;
}): Promise<SippProcess> {
  const sipp = await startSipp({ scenario: scenario(spec.name, spec.values), service: 'callee' });
  callees.push(sipp);
  return sipp;
}

/** An app that proxies every INVITE to `destinations`; resolves with the outcome. */
async function proxyingApp(
  destinations: string[],
  options: drachtio.ProxyOptions,
): Promise<{ result: Promise<drachtio.ProxyResult> }> {
  let settle!: (result: drachtio.ProxyResult) => void;
  const outcome = new Promise<drachtio.ProxyResult>((resolve) => (settle = resolve));
  await server.connectApp((app) =>
    app.invite((req) => void req.proxy(destinations, options).then(settle)),
  );
  // Wrapped: an async function returning a bare promise would wait for it.
  return { result: outcome };
}

const call = (name: string, values?: Record<string, string | number>) =>
  runSipp({ scenario: scenario(name, values), remote: server.sipHostport, service: 'proxied' });

const rejected = (status: number, expect = `SIP/2.0 ${status}`) =>
  call('uac-invite-rejected', { status, expect });

describe('req.proxy(): forking', () => {
  it('simultaneous: one 486, one 200, one ringing; the caller gets the 200 and the ringing branch is CANCELed', async () => {
    const busy = await callee(reject(486, 'Busy Here'));
    const ringing = await callee(RINGS);
    const answering = await callee(answers(500));
    const outcome = await proxyingApp([busy.uri('b'), ringing.uri('r'), answering.uri('a')], {
      forking: 'simultaneous',
      recordRoute: true,
    });
    expectSippSuccess(await call('proxy-uac-call'));
    const result = await outcome.result;
    expect(result).toMatchObject({
      finalStatus: 200,
      connected: true,
      winner: { index: 2, status: 200 },
    });
    expect(result.branches.map((b) => b.status)).toEqual([486, 487, 200]);
    for (const sipp of callees) expectSippSuccess(await sipp.done);
  });

  it('both 4xx: the best response goes up (a 407 with its challenge beats a 486)', async () => {
    const busy = await callee(reject(486, 'Busy Here'));
    const challenging = await callee({ name: 'proxy-uas-challenge' });
    const outcome = await proxyingApp([busy.uri('b'), challenging.uri('c')], {
      forking: 'simultaneous',
    });
    expectSippSuccess(await rejected(407, 'Proxy-Authenticate: Digest realm="callee.example"'));
    expect((await outcome.result).finalStatus).toBe(407);
    for (const sipp of callees) expectSippSuccess(await sipp.done);
  });

  it('a 6xx ends the search: the ringing branch is CANCELed, the caller gets the 603', async () => {
    const ringing = await callee(RINGS);
    const declining = await callee(reject(603, 'Decline'));
    const outcome = await proxyingApp([ringing.uri('r'), declining.uri('d')], {
      forking: 'simultaneous',
    });
    expectSippSuccess(await rejected(603));
    expect((await outcome.result).branches.map((b) => b.status)).toEqual([487, 603]);
    for (const sipp of callees) expectSippSuccess(await sipp.done);
  });

  it('no answer: both branches CANCELed after the final timeout, the caller gets 408', async () => {
    const first = await callee(RINGS);
    const second = await callee(RINGS);
    const outcome = await proxyingApp([first.uri('x'), second.uri('y')], {
      forking: 'simultaneous',
      finalTimeout: '1s',
    });
    expectSippSuccess(await rejected(408));
    expect((await outcome.result).finalStatus).toBe(408);
    for (const sipp of callees) expectSippSuccess(await sipp.done);
  });

  it("the caller's CANCEL is fanned out to every ringing branch; their 487 goes up", async () => {
    const first = await callee(RINGS);
    const second = await callee(RINGS);
    const outcome = await proxyingApp([first.uri('x'), second.uri('y')], {
      forking: 'simultaneous',
    });
    expectSippSuccess(await call('proxy-uac-cancel'));
    expect((await outcome.result).finalStatus).toBe(487);
    for (const sipp of callees) expectSippSuccess(await sipp.done);
  });

  it('sequential: the second destination is tried after the first fails', async () => {
    const unavailable = await callee(reject(480, 'Temporarily Unavailable'));
    const answering = await callee(answers());
    const outcome = await proxyingApp([unavailable.uri('u'), answering.uri('a')], {
      recordRoute: true,
    });
    expectSippSuccess(await call('proxy-uac-call'));
    expect((await outcome.result).branches.map((b) => b.status)).toEqual([480, 200]);
    for (const sipp of callees) expectSippSuccess(await sipp.done);
  });

  it('a 3xx is followed: its Contact gets the INVITE', async () => {
    const target = await callee(answers());
    const redirecting = await callee({
      name: 'proxy-uas-redirect',
      values: { contact: target.uri('moved') },
    });
    const outcome = await proxyingApp([redirecting.uri('r')], {
      followRedirects: true,
      recordRoute: true,
    });
    expectSippSuccess(await call('proxy-uac-call'));
    const result = await outcome.result;
    expect(result.branches.map((b) => [b.uri, b.status])).toEqual([
      [redirecting.uri('r'), 302],
      [target.uri('moved'), 200],
    ]);
    for (const sipp of callees) expectSippSuccess(await sipp.done);
  });
});

describe('req.proxy(): Record-Route', () => {
  it("the ACK and the caller's BYE follow the Record-Route through the server", async () => {
    const answering = await callee(answers(0, 'Via: SIP/2.0/UDP [^\\r\\n]*branch=z9hG4bKdpx'));
    const outcome = await proxyingApp([answering.uri('a')], { remainInDialog: true });
    expectSippSuccess(await call('proxy-uac-call'));
    expect((await outcome.result).connected).toBe(true);
    expectSippSuccess(await answering.done);
  });
});
