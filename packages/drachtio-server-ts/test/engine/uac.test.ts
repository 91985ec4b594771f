/**
 * The engine as UAC: requests sent through SipEngine.request to sipp, over UDP and TCP.
 */
import { startSipp } from 'drachtio-test-kit';
import type { Engine } from '../../src/engine';
import type { EngineResponse } from '../../src/engine-api';
import { scenario, SDP, startEngine, TestApp, waitFor } from './helpers';

/** Sends a request and collects every response the engine reports for it. */
async function send(engine: Engine, data: Parameters<Engine['request']>[0]) {
  const responses: EngineResponse[] = [];
  const sent = await engine.request(data, (response) => responses.push(response));
  const final = () => waitFor(() => responses.find((r) => r.status >= 200));
  return { sent, responses, final };
}

describe.each(['udp', 'tcp'] as const)('engine as UAC over %s', (transport) => {
  let engine: Engine;
  let app: TestApp;

  beforeAll(async () => {
    engine = await startEngine();
    app = new TestApp(engine);
  });
  afterAll(() => engine.stop());
  beforeEach(() => app.reset());

  test('INVITE with SDP: the engine ACKs the 200 itself, then the application hangs up', async () => {
    const sipp = await startSipp({ scenario: scenario('uas-answer'), transport });
    const call = await send(engine, { method: 'INVITE', uri: sipp.uri(), body: SDP });
    const ok = await call.final();
    expect(call.responses.map((r) => r.status)).toContain(180);
    expect(ok.status).toBe(200);
    expect(ok.dialogId).toBeDefined();
    const bye = await send(engine, { method: 'BYE', dialogId: ok.dialogId });
    expect((await bye.final()).status).toBe(200);
    const result = await sipp.done;
    expect(result.errors).toBe('');
    expect(result.exitCode).toBe(0);
    expect(app.dialogs.map((d) => [d.event, d.reason])).toEqual([
      ['early', undefined],
      ['confirmed', undefined],
      ['terminated', 'normal near end release'],
    ]);
    await waitFor(() => app.ended.includes(call.sent.transactionId));
  });

  test('INVITE without SDP: the application sends the ACK with its SDP', async () => {
    const sipp = await startSipp({ scenario: scenario('uas-answer'), transport });
    const call = await send(engine, { method: 'INVITE', uri: sipp.uri() });
    const ok = await call.final();
    expect(ok.status).toBe(200);
    const ack = await engine.ack({ transactionId: call.sent.transactionId, body: SDP });
    expect(ack.raw).toMatch(/^ACK sip:/);
    expect(ack.raw).toContain('Content-Type: application/sdp');
    await send(engine, { method: 'BYE', dialogId: ok.dialogId });
    const result = await sipp.done;
    expect(result.errors).toBe('');
    expect(result.exitCode).toBe(0);
  });

  test('INVITE / 486: the transaction layer ACKs the rejection', async () => {
    const sipp = await startSipp({ scenario: scenario('uas-busy'), transport });
    const call = await send(engine, { method: 'INVITE', uri: sipp.uri(), body: SDP });
    expect((await call.final()).status).toBe(486);
    const result = await sipp.done;
    expect(result.errors).toBe('');
    expect(result.exitCode).toBe(0);
  });

  test('the application cancels a ringing INVITE: CANCEL, then the 487 is ACKed and reported', async () => {
    const sipp = await startSipp({ scenario: scenario('uas-cancel'), transport });
    const call = await send(engine, { method: 'INVITE', uri: sipp.uri(), body: SDP });
    await waitFor(() => call.responses.find((r) => r.status === 180));
    const cancel = await engine.cancel({ transactionId: call.sent.transactionId });
    expect(cancel.raw).toMatch(/^CANCEL sip:/);
    expect((await call.final()).status).toBe(487);
    const result = await sipp.done;
    expect(result.errors).toBe('');
    expect(result.exitCode).toBe(0);
    expect(app.dialogs.map((d) => [d.event, d.reason])).toEqual([
      ['early', undefined],
      ['terminated', 'canceled'],
    ]);
    // Too late to cancel: refused as invalid-state, or (TCP: Timer D is zero) as an ended transaction.
    const late = await engine
      .cancel({ transactionId: call.sent.transactionId })
      .catch((error: { code: string }) => error);
    expect(['invalid-state', 'unknown-transaction']).toContain((late as { code: string }).code);
  });

  test('PRACK: a reliable 183 is PRACKed by the engine when the INVITE offered 100rel', async () => {
    const sipp = await startSipp({ scenario: scenario('uas-prack'), transport });
    const call = await send(engine, {
      method: 'INVITE',
      uri: sipp.uri(),
      headers: { Supported: '100rel', Require: '100rel' },
      body: SDP,
    });
    const ok = await call.final();
    expect(ok.status).toBe(200);
    expect(call.responses.filter((r) => r.status === 183)).toHaveLength(1);
    await send(engine, { method: 'BYE', dialogId: ok.dialogId });
    const result = await sipp.done;
    expect(result.errors).toBe('');
    expect(result.exitCode).toBe(0);
  });
});

describe('engine as UAC: session timers', () => {
  let engine: Engine;

  beforeAll(async () => {
    engine = await startEngine({ sessionTimers: { minSE: 1 } });
  });
  afterAll(() => engine.stop());

  test('a 422 is retried at once with the Min-SE asked for; the application sees only the 200', async () => {
    const sipp = await startSipp({ scenario: scenario('uas-422') });
    const call = await send(engine, {
      method: 'INVITE',
      uri: sipp.uri(),
      headers: { Supported: 'timer', 'Session-Expires': '10' },
      body: SDP,
    });
    const ok = await call.final();
    expect(ok.status).toBe(200);
    expect(call.responses.some((r) => r.status === 422)).toBe(false);
    await send(engine, { method: 'BYE', dialogId: ok.dialogId });
    const result = await sipp.done;
    expect(result.errors).toBe('');
    expect(result.exitCode).toBe(0);
  });

  test('the 2xx makes the engine the refresher: it refreshes with UPDATE until the application hangs up', async () => {
    const sipp = await startSipp({ scenario: scenario('uas-session-refresh') });
    const call = await send(engine, {
      method: 'INVITE',
      uri: sipp.uri(),
      headers: { Supported: 'timer', 'Session-Expires': '4' },
      body: SDP,
    });
    const ok = await call.final();
    expect(ok.status).toBe(200);
    // The first refresh is due at 2 s; hang up between it and the next one (4 s).
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await send(engine, { method: 'BYE', dialogId: ok.dialogId });
    const result = await sipp.done;
    expect(result.errors).toBe('');
    expect(result.exitCode).toBe(0);
  });
});

describe('engine as UAC: UDP loss and timeouts', () => {
  let engine: Engine;

  beforeAll(async () => {
    engine = await startEngine();
  });
  afterAll(() => engine.stop());

  test('a lost INVITE is recovered by Timer A retransmissions', async () => {
    const sipp = await startSipp({ scenario: scenario('uas-lost-invite') });
    const call = await send(engine, { method: 'INVITE', uri: sipp.uri(), body: SDP });
    const ok = await call.final();
    expect(ok.status).toBe(200);
    await send(engine, { method: 'BYE', dialogId: ok.dialogId });
    const result = await sipp.done;
    expect(result.errors).toBe('');
    expect(result.exitCode).toBe(0);
    const invite = result.messages.find((row) => row.message === 'INVITE');
    expect(invite?.retransmissions).toBeGreaterThan(0);
  });

  test('no answer at all: Timer F ends the transaction with a locally generated 408', async () => {
    const { freePort } = await import('drachtio-test-kit');
    const port = await freePort('udp');
    const options = await send(engine, { method: 'OPTIONS', uri: `sip:nobody@127.0.0.1:${port}` });
    const timeout = await options.final();
    expect(timeout.status).toBe(408);
    expect(timeout.raw).toMatch(/^SIP\/2.0 408 Request Timeout/);
  });
});
