import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runSipp, startSipp, type SippProcess, type SippResult } from 'drachtio-test-kit';
import type Srf from 'drachtio-srf';
import { withServerAndSrf } from './harness';

/**
 * srf.proxyRequest end to end: sipp calls drachtio-server-ts, an unmodified srf application
 * proxies the INVITE to sipp callees, and the server's proxy core does the rest. The sipp
 * scenarios are the JSON client's proxy tests' own (packages/drachtio/test/scenarios).
 */

/** What srf's Request#proxy hands its callback (lib/request.js; its typings say `string`). */
interface ProxyResults {
  connected: boolean;
  finalStatus: number;
  finalResponse: { status: number; msg: { status: number; reason: string } };
  responses: { address: string; port: number; msgs: { status: number }[] }[];
}

type ProxyCall = (
  req: Srf.SrfRequest,
  destination: string[],
  opts: Srf.ProxyRequestOptions,
  callback: (err: unknown, results: ProxyResults) => void,
) => void;

/** A scenario of the JSON client's tests with its {{placeholders}} filled in. */
function scenario(name: string, values: Record<string, string | number> = {}): string {
  const file = join(__dirname, '..', '..', '..', 'packages', 'drachtio', 'test', 'scenarios');
  const xml = readFileSync(join(file, `${name}.xml`), 'utf8');
  return xml.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    if (!(key in values)) throw new Error(`scenario ${name}: no value for {{${key}}}`);
    return String(values[key]);
  });
}

function expectSippSuccess(result: SippResult): void {
  expect(result.errors).toBe('');
  expect(result.exitCode).toBe(0);
}

describe('drachtio-srf proxyRequest against drachtio-server-ts (sipp caller and callees)', () => {
  const fx = withServerAndSrf();
  let callees: SippProcess[] = [];
  beforeEach(() => {
    callees = [];
  });
  afterEach(async () => {
    for (const callee of callees) await callee.kill();
  });

  async function callee(name: string, values?: Record<string, string | number>) {
    const sipp = await startSipp({ scenario: scenario(name, values), service: 'callee' });
    callees.push(sipp);
    return sipp;
  }

  /** srf proxies every INVITE to `destinations`; resolves with its callback's (err, results). */
  function proxying(destinations: string[], opts: Srf.ProxyRequestOptions) {
    return new Promise<{ err: unknown; results: ProxyResults }>((resolve) => {
      fx.srf.invite((req) => {
        const proxyRequest = fx.srf.proxyRequest.bind(fx.srf) as unknown as ProxyCall;
        proxyRequest(req, destinations, opts, (err, results) => resolve({ err, results }));
      });
    });
  }

  const call = (name: string, values?: Record<string, string | number>) =>
    runSipp({ scenario: scenario(name, values), remote: fx.remote, service: 'proxied' });

  test('simultaneous: one 486 and one 200, the caller gets the 200 and srf sees connected', async () => {
    const busy = await callee('uas-invite-reject', { status: 486, reason: 'Busy Here' });
    const answering = await callee('proxy-uas-answer', { delay: 300, byeVia: 'BYE' });
    const outcome = proxying([busy.uri('b'), answering.uri('a')], {
      forking: 'simultaneous',
      remainInDialog: true,
    });
    // The caller's ACK and BYE follow the Record-Route through the server to the callee.
    expectSippSuccess(await call('proxy-uac-call'));
    const { err, results } = await outcome;
    expect(err).toBeNull();
    expect(results).toMatchObject({ connected: true, finalStatus: 200 });
    expect(results.finalResponse.msg).toMatchObject({ status: 200, reason: 'OK' });
    const statuses = results.responses.flatMap((r) => r.msgs.map((m) => m.status));
    expect(statuses).toEqual([486, 200]);
    // Each response carries where it came from; srf starts a new group only when the address
    // differs or the port is the same (lib/request.js), so both callees on 127.0.0.1 share one.
    expect(results.responses).toHaveLength(1);
    expect(results.responses[0]).toMatchObject({ address: '127.0.0.1', port: busy.port });
    for (const sipp of callees) expectSippSuccess(await sipp.done);
  });

  test('sequential: 480 from the first destination, then the second answers', async () => {
    const unavailable = await callee('uas-invite-reject', {
      status: 480,
      reason: 'Temporarily Unavailable',
    });
    const answering = await callee('proxy-uas-answer', { delay: 0, byeVia: 'BYE' });
    const outcome = proxying([unavailable.uri('u'), answering.uri('a')], {
      forking: 'sequential',
      remainInDialog: true,
    });
    expectSippSuccess(await call('proxy-uac-call'));
    const { err, results } = await outcome;
    expect(err).toBeNull();
    expect(results).toMatchObject({ connected: true, finalStatus: 200 });
    const statuses = results.responses.flatMap((r) => r.msgs.map((m) => m.status));
    expect(statuses).toEqual([480, 200]);
    for (const sipp of callees) expectSippSuccess(await sipp.done);
  });

  test('every destination fails: the caller gets the best final, srf sees it and not connected', async () => {
    const busy = await callee('uas-invite-reject', { status: 486, reason: 'Busy Here' });
    const unavailable = await callee('uas-invite-reject', {
      status: 480,
      reason: 'Temporarily Unavailable',
    });
    const outcome = proxying([busy.uri('b'), unavailable.uri('u')], { forking: 'sequential' });
    expectSippSuccess(await call('uac-invite-rejected', { status: 486, expect: 'SIP/2.0 486' }));
    const { err, results } = await outcome;
    expect(err).toBeNull();
    expect(results).toMatchObject({ connected: false, finalStatus: 486 });
    const statuses = results.responses.flatMap((r) => r.msgs.map((m) => m.status));
    expect(statuses).toEqual([480, 486]);
    for (const sipp of callees) expectSippSuccess(await sipp.done);
  });

  test('finalTimeout ("1s"): the ringing branch is CANCELed and the caller gets 408', async () => {
    const ringing = await callee('uas-invite-cancel');
    const outcome = proxying([ringing.uri('r')], { finalTimeout: '1s' });
    expectSippSuccess(await call('uac-invite-rejected', { status: 408, expect: 'SIP/2.0 408' }));
    const { err, results } = await outcome;
    expect(err).toBeNull();
    expect(results).toMatchObject({ connected: false, finalStatus: 408 });
    for (const sipp of callees) expectSippSuccess(await sipp.done);
  });

  test('a 3xx is followed with followRedirects: its Contact answers', async () => {
    const target = await callee('proxy-uas-answer', { delay: 0, byeVia: 'BYE' });
    const redirecting = await callee('proxy-uas-redirect', { contact: target.uri('t') });
    const outcome = proxying([redirecting.uri('r')], {
      followRedirects: true,
      remainInDialog: true,
    });
    expectSippSuccess(await call('proxy-uac-call'));
    const { err, results } = await outcome;
    expect(err).toBeNull();
    expect(results).toMatchObject({ connected: true, finalStatus: 200 });
    for (const sipp of callees) expectSippSuccess(await sipp.done);
  });

  test('a destination that is not a sip: URI is refused: srf gets the reason, the request stays its own', async () => {
    const refused = new Promise<unknown>((resolve) => {
      fx.srf.invite((req, res) => {
        const proxyRequest = fx.srf.proxyRequest.bind(fx.srf) as unknown as ProxyCall;
        proxyRequest(req, ['tel:+15551234567'], {}, (err) => {
          resolve(err);
          res.send(503);
        });
      });
    });
    const caller = call('uac-invite-rejected', { status: 503, expect: 'SIP/2.0 503' });
    expect(String(await refused)).toMatch(/not a sip: URI/);
    expectSippSuccess(await caller);
  });
});
