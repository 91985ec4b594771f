/**
 * The engine's bounds on transactions in progress and dialogs: beyond them a new request gets
 * 503 with Retry-After and the operator is told (once per interval, not once per request);
 * what needs no room beyond the bound is still served, finished transactions lingering for
 * retransmissions included.
 */
import { Writable } from 'node:stream';
import { runSipp } from 'drachtio-test-kit';
import pino from 'pino';
import type { Engine, EngineOptions } from '../../src/engine';
import { DEFAULT_TIMER_SETTINGS } from '../../src/transaction/timer-settings';
import { remoteOf, scenario, SDP, startEngine, TestApp, udpPortOf, waitFor } from './helpers';
import { requestText, UdpPeer } from './udp-client';

let peer: UdpPeer;
beforeEach(async () => (peer = await UdpPeer.open()));
afterEach(() => peer.close());

/** An engine whose log lines are collected. */
async function engineWithLog(
  limits: Pick<EngineOptions, 'maxTransactions' | 'maxDialogs' | 'timers' | 'lingerMemory'>,
) {
  const lines: Array<{ msg: string; refused?: number; forgotten?: number }> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()));
      done();
    },
  });
  const engine = await startEngine({ ...limits, logger: pino({ level: 'warn' }, sink) });
  return { engine, lines };
}

function send(engine: Engine, method: string, body?: string): string {
  const text = requestText(peer.port, {
    method,
    ...(body ? { body, headers: { 'Content-Type': 'application/sdp' } } : {}),
  });
  peer.send(text, udpPortOf(engine));
  return /Call-ID: (\S+)/.exec(text)?.[1] ?? '';
}

/** The final response this peer got for the request with this Call-ID. */
function finalFor(callId: string): Promise<string> {
  return peer.next(
    new RegExp(`^SIP/2.0 [2-6]\\d\\d [^]*Call-ID: ${callId.replace(/[.]/g, '\\.')}`),
  );
}

test('beyond maxTransactions a new request gets 503 with Retry-After, and the log says so once', async () => {
  const { engine, lines } = await engineWithLog({ maxTransactions: 2 });
  const app = new TestApp(engine);
  app.answer = () => undefined; // keep every transaction open
  try {
    send(engine, 'OPTIONS');
    send(engine, 'OPTIONS');
    await waitFor(() => app.requests.length === 2);
    const refused = [send(engine, 'OPTIONS'), send(engine, 'OPTIONS')];
    for (const callId of refused) {
      const response = await finalFor(callId);
      expect(response).toMatch(/^SIP\/2.0 503 Service Unavailable\r\n/);
      expect(response).toMatch(/\r\nRetry-After: 5\r\n/);
    }
    expect(app.requests).toHaveLength(2);
    expect(
      lines.filter((line) => line.msg === 'maxTransactions reached: new requests get 503'),
    ).toEqual([expect.objectContaining({ refused: 1, maxTransactions: 2 })]);
  } finally {
    await engine.stop();
  }
});

test('beyond maxDialogs a new INVITE gets 503 while requests outside dialogs are still served', async () => {
  const { engine, lines } = await engineWithLog({ maxDialogs: 1 });
  const app = new TestApp(engine);
  app.answer = (request) =>
    request.method === 'INVITE' ? { status: 200, body: SDP } : { status: 200 };
  try {
    const first = send(engine, 'INVITE', SDP);
    expect(await finalFor(first)).toMatch(/^SIP\/2.0 200 /);
    const second = send(engine, 'INVITE', SDP);
    expect(await finalFor(second)).toMatch(/^SIP\/2.0 503 [^]*\r\nRetry-After: 5\r\n/);
    expect(await finalFor(send(engine, 'OPTIONS'))).toMatch(/^SIP\/2.0 200 /);
    expect(lines.map((line) => line.msg)).toContain('maxDialogs reached: new requests get 503');
  } finally {
    await engine.stop();
  }
});

test('lingering transactions do not count against maxTransactions: 60 calls in a row complete, and past 50 unanswered INVITEs new ones get 503', async () => {
  // RFC timers: every INVITE and BYE of the calls lingers 32 s, well past the test.
  const { engine, lines } = await engineWithLog({
    maxTransactions: 50,
    timers: DEFAULT_TIMER_SETTINGS,
  });
  const app = new TestApp(engine);
  try {
    const result = await runSipp({
      scenario: scenario('uac-call'),
      remote: remoteOf(engine),
      calls: 60,
      rate: 100,
      limit: 10,
    });
    expect(result.exitCode).toBe(0);
    expect(result.successfulCalls).toBe(60);
    const { accepted = 0, completed = 0 } = engine.transactionStates().server;
    expect(accepted + completed).toBeGreaterThanOrEqual(120);
    expect(lines.map((line) => line.msg)).not.toContain(
      'maxTransactions reached: new requests get 503',
    );

    app.reset(() => undefined); // INVITEs left unanswered stay in progress
    const invites = Array.from({ length: 55 }, () => send(engine, 'INVITE', SDP));
    for (const callId of invites.slice(50))
      expect(await finalFor(callId)).toMatch(/^SIP\/2.0 503 [^]*\r\nRetry-After: 5\r\n/);
    await waitFor(() => app.requests.length === 50);
    expect(app.methods().every((method) => method === 'INVITE')).toBe(true);
  } finally {
    await engine.stop();
  }
});

test('a full lingerMemory forgets the oldest finished transactions early, says so once, and refuses no call', async () => {
  const { engine, lines } = await engineWithLog({
    lingerMemory: 4000, // a handful of records
    timers: DEFAULT_TIMER_SETTINGS,
  });
  new TestApp(engine);
  try {
    const result = await runSipp({
      scenario: scenario('uac-call'),
      remote: remoteOf(engine),
      calls: 20,
      rate: 100,
      limit: 5,
    });
    expect(result.exitCode).toBe(0);
    expect(result.successfulCalls).toBe(20);
    const { accepted = 0, completed = 0 } = engine.transactionStates().server;
    expect(accepted + completed).toBeLessThan(40);
    expect(engine.lingerEvictions).toBe(40 - accepted - completed);
    expect(
      lines.filter(
        (line) =>
          line.msg === 'lingerMemory reached: the oldest finished transactions are forgotten early',
      ),
    ).toEqual([expect.objectContaining({ forgotten: 1, lingerMemory: 4000 })]);
  } finally {
    await engine.stop();
  }
});
