/**
 * Overload control with the engine really behind: for a second and a half its event loop is
 * kept busy but for one read of the socket every 45 ms, less than sipp sends over UDP, so the
 * kernel's receive queue really fills and stays filled (a single long pause, whose queue drains
 * right after it, is not overload). New calls then get 503 with Retry-After; calls set up
 * before keep working (their ACK and BYE are never refused); once the load is gone new calls
 * are admitted again.
 */
import { runSipp, startSipp } from 'drachtio-test-kit';
import type { Engine } from '../../src/engine';
import { remoteOf, scenario, startEngine, TestApp, waitFor } from '../engine/helpers';

/** What a server past its capacity looks like from the socket: nobody reading it. */
function blockEventLoop(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // the loop is what is kept busy
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A server past its capacity: each turn of its loop reads one batch of datagrams, then works 45 ms. */
async function overloadFor(ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    blockEventLoop(45);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe('overload control over UDP', () => {
  let engine: Engine;
  let app: TestApp;

  beforeAll(async () => {
    engine = await startEngine();
    app = new TestApp(engine);
  });
  afterAll(() => engine.stop());

  test('new INVITEs get 503 + Retry-After while the queue is backed up; held calls end normally; then calls are admitted again', async () => {
    const remote = remoteOf(engine);
    // A cold engine (code not yet optimized) falls behind sooner: warm it up first.
    await runSipp({ scenario: scenario('uac-call'), remote, calls: 100, rate: 100 });
    await waitFor(() => engine.overload?.fraction === 0);
    app.reset();
    const heldCalls = 20;
    const held = await startSipp({
      scenario: scenario('uac-held-call'),
      remote,
      calls: heldCalls,
      rate: 100,
      args: ['-d', '1000'],
    });
    await waitFor(
      () => app.dialogs.filter((notice) => notice.event === 'confirmed').length === heldCalls,
    );

    const fresh = await startSipp({
      scenario: scenario('uac-call-or-503'),
      remote,
      calls: 800,
      rate: 400,
      timeoutMs: 30_000,
    });
    await sleep(200);
    await overloadFor(1500);
    const [heldResult, freshResult] = await Promise.all([held.done, fresh.done]);

    // Admitted calls, before and during the overload, all completed: their ACK and BYE passed.
    expect(heldResult.errors).toBe('');
    expect(heldResult.failedCalls).toBe(0);
    expect(heldResult.successfulCalls).toBe(heldCalls);
    // Every new call was either carried through or refused with 503 and Retry-After. (sipp's
    // error log may hold "dead call" notes: a BYE it retransmitted while the loop was blocked
    // got its 200 twice.)
    expect(freshResult.failedCalls).toBe(0);
    expect(freshResult.successfulCalls).toBe(800);
    const refusals = freshResult.messages.find((row) => row.message === '503')?.count ?? 0;
    expect(refusals).toBeGreaterThan(0);
    expect(engine.overload?.refused.invite).toBeGreaterThan(0);
    // A refused INVITE made no transaction and no dialog: the app saw only admitted ones.
    const invites = app.requests.filter((request) => request.method === 'INVITE').length;
    expect(invites).toBe(heldCalls + 800 - refusals);

    await waitFor(() => engine.overload?.fraction === 0);
    const after = await runSipp({
      scenario: scenario('uac-call-or-503'),
      remote,
      calls: 20,
      rate: 50,
    });
    expect(after.exitCode).toBe(0);
    expect(after.messages.find((row) => row.message === '503')?.count ?? 0).toBe(0);
  });

  test('turned off, there is no overload control to refuse anything', async () => {
    const plain = await startEngine({ overload: { enabled: false } });
    new TestApp(plain);
    try {
      expect(plain.overload).toBeUndefined();
      const result = await runSipp({ scenario: scenario('uac-call'), remote: remoteOf(plain) });
      expect(result.exitCode).toBe(0);
    } finally {
      await plain.stop();
    }
  });
});
