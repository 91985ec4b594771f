/**
 * The engine as UAS, sipp calling it, over UDP and TCP: the control plane is played by TestApp,
 * which drives the engine through SipEngine exactly as the wire's control plane does.
 */
import { runSipp } from 'drachtio-test-kit';
import type { Engine } from '../../src/engine';
import { remoteOf, scenario, SDP, startEngine, TestApp, waitFor } from './helpers';

describe.each(['udp', 'tcp'] as const)('engine as UAS over %s', (transport) => {
  let engine: Engine;
  let app: TestApp;

  beforeAll(async () => {
    engine = await startEngine({ sessionTimers: { minSE: 1 } });
    app = new TestApp(engine);
  });
  afterAll(() => engine.stop());
  beforeEach(() => app.reset());

  const sipp = (name: string) =>
    runSipp({ scenario: scenario(name), remote: remoteOf(engine, transport), transport });

  test('INVITE / 100 / 180 / 200 / ACK / BYE / 200', async () => {
    const result = await sipp('uac-call');
    expect(result.errors).toBe('');
    expect(result.exitCode).toBe(0);
    expect(app.methods()).toEqual(['INVITE', 'ACK', 'BYE']);
    const [invite, ack, bye] = app.requests;
    expect(ack?.inviteTransactionId).toBe(invite?.transactionId);
    expect(ack?.dialogId).toBeDefined();
    expect(bye?.dialogId).toBe(ack?.dialogId);
    expect(app.dialogs.map((d) => d.event)).toEqual(['early', 'confirmed', 'terminated']);
    expect(app.dialogs[2]?.reason).toBe('normal far end release');
    expect(app.errors).toEqual([]);
  });

  test('INVITE / 486 / ACK', async () => {
    app.answer = (request) => (request.method === 'INVITE' ? { status: 486 } : undefined);
    const result = await sipp('uac-busy');
    expect(result.errors).toBe('');
    expect(result.exitCode).toBe(0);
    expect(app.methods()).toEqual(['INVITE']); // the ACK for a non-2xx stays in the transaction
    const invite = app.requests[0];
    await waitFor(() => app.ended.includes(invite?.transactionId ?? ''));
  });

  test('CANCEL before the answer: 200 to the CANCEL, 487 to the INVITE, then the cancel event', async () => {
    app.answer = (request) => (request.method === 'INVITE' ? { status: 180 } : undefined);
    // A late answer from the application, right after the cancel event, is refused.
    const lateAnswer = new Promise((resolve) =>
      engine.once('cancel', (cancel) => {
        engine
          .respond({ transactionId: cancel.transactionId, status: 200, body: SDP })
          .then(resolve, resolve);
      }),
    );
    const result = await sipp('uac-cancel');
    expect(result.errors).toBe('');
    expect(result.exitCode).toBe(0);
    const invite = app.requests[0];
    expect(app.cancels.map((c) => c.transactionId)).toEqual([invite?.transactionId]);
    expect(app.dialogs.map((d) => [d.event, d.reason])).toEqual([
      ['early', undefined],
      ['terminated', 'canceled'],
    ]);
    expect(await lateAnswer).toMatchObject({ code: 'invalid-state' });
  });

  test("PRACK: the application's 183 with Require: 100rel goes out reliably and the PRACK reaches it", async () => {
    app.answer = (request) => {
      if (request.method === 'INVITE')
        return { status: 183, headers: { Require: '100rel' }, body: SDP };
      if (request.method === 'PRACK') {
        const invite = app.requests[0];
        void engine.respond({ transactionId: invite?.transactionId ?? '', status: 200, body: SDP });
        return undefined;
      }
      if (request.method === 'BYE') return { status: 200 };
      return undefined;
    };
    const result = await sipp('uac-prack');
    expect(result.errors).toBe('');
    expect(result.exitCode).toBe(0);
    expect(app.methods()).toEqual(['INVITE', 'PRACK', 'ACK', 'BYE']);
    expect(app.requests[1]?.inviteTransactionId).toBe(app.requests[0]?.transactionId);
    // The engine answered the PRACK itself (RFC 3262 3): the application is only told.
    expect(app.requests[1]?.answered).toBe(true);
    expect(app.requests[0]?.answered).toBeUndefined();
  });

  test('REGISTER and OPTIONS', async () => {
    for (const name of ['uac-register', 'uac-options']) {
      const result = await sipp(name);
      expect(result.errors).toBe('');
      expect(result.exitCode).toBe(0);
    }
    expect(app.methods()).toEqual(['REGISTER', 'OPTIONS']);
  });

  test('session timer: the far end is the refresher and never refreshes, so the engine sends BYE', async () => {
    const result = await sipp('uac-session-expiry');
    expect(result.errors).toBe('');
    expect(result.exitCode).toBe(0);
    expect(app.dialogs.at(-1)).toMatchObject({ event: 'terminated', reason: 'session expired' });
  });

  test.each([
    ['UPDATE (the far end allows it)', 'uac-session-refresh'],
    [
      'a re-INVITE with the last SDP (the far end does not allow UPDATE)',
      'uac-session-refresh-reinvite',
    ],
  ])('session timer: the engine is the refresher and refreshes with %s', async (_how, name) => {
    const result = await sipp(name);
    expect(result.errors).toBe('');
    expect(result.exitCode).toBe(0);
    expect(app.dialogs.at(-1)).toMatchObject({
      event: 'terminated',
      reason: 'normal far end release',
    });
  });
});

describe('engine as UAS: UDP loss', () => {
  let engine: Engine;
  let app: TestApp;

  beforeAll(async () => {
    engine = await startEngine();
    app = new TestApp(engine);
  });
  afterAll(() => engine.stop());
  beforeEach(() => app.reset());

  test('a lost 200 is recovered by the engine retransmitting it', async () => {
    const result = await runSipp({ scenario: scenario('uac-lost-200'), remote: remoteOf(engine) });
    expect(result.errors).toBe('');
    expect(result.exitCode).toBe(0);
    expect(app.methods()).toEqual(['INVITE', 'ACK', 'BYE']);
    const twoHundred = result.messages.find(
      (row) => row.message === '200' && row.direction === 'in',
    );
    expect(twoHundred?.retransmissions).toBeGreaterThan(0);
  });

  test('no ACK for the 200: the engine sends BYE with a Reason and reports ack timeout', async () => {
    const result = await runSipp({ scenario: scenario('uac-no-ack'), remote: remoteOf(engine) });
    expect(result.errors).toBe('');
    expect(result.exitCode).toBe(0);
    expect(app.methods()).toEqual(['INVITE']);
    expect(app.dialogs.map((d) => [d.event, d.reason])).toEqual([
      ['early', undefined],
      ['confirmed', undefined],
      ['terminated', 'ack timeout'],
    ]);
  });
});

describe('engine as UAS: no state left behind', () => {
  test('after 20 calls and the transaction timers, no transaction or dialog remains', async () => {
    const engine = await startEngine();
    const app = new TestApp(engine);
    try {
      const result = await runSipp({
        scenario: scenario('uac-call'),
        remote: remoteOf(engine),
        calls: 20,
        rate: 20,
        limit: 5,
      });
      expect(result.exitCode).toBe(0);
      expect(result.successfulCalls).toBe(20);
      expect(app.methods().filter((m) => m === 'INVITE')).toHaveLength(20);
      await waitFor(() => {
        const { serverTransactions, clientTransactions, dialogs } = engine.stats;
        return serverTransactions + clientTransactions + dialogs === 0;
      });
      const ids = app.requests.filter((r) => r.method !== 'ACK').map((r) => r.transactionId);
      expect(ids.every((id) => app.ended.includes(id))).toBe(true);
    } finally {
      await engine.stop();
    }
  });
});
