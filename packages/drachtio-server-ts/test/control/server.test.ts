import { createSocket } from 'node:dgram';
import { encodeFrame, type Frame } from 'drachtio-protocol';
import { runSipp, startSipp } from 'drachtio-test-kit';
import { createServer, type DrachtioServer } from '../../src';
import {
  CALL,
  CANCELED_CALL,
  PRACKED_CALL,
  RINGING_UNTIL_CANCELED,
  callWithByeAfterSignal,
  rejectedCall,
} from './scenarios';
import { answerAll, SDP, TestApp, type Seen } from './test-app';
import { WireClient } from './wire-client';

/**
 * The control plane end to end: a real server (engine + control plane) on ephemeral ports,
 * applications speaking the wire over TCP, sipp as the far end.
 */

const SECRET = 'e2e-secret';
const FAST_TIMERS = { t1: 50, t2: 400, t4: 500, timerC: 10000 };

describe('drachtio-server-ts control plane end to end (sipp)', () => {
  let server: DrachtioServer;
  let remote: string;
  const apps: TestApp[] = [];

  beforeEach(async () => {
    server = await createServer({
      secret: SECRET,
      contacts: ['sip:127.0.0.1:0;transport=udp,tcp'],
      admin: { address: '127.0.0.1', port: 0 },
      logLevel: 'silent',
      sip: { timers: FAST_TIMERS },
    });
    remote = server.sipContacts[0].replace(/^sip:/, '').replace(/;.*$/, '');
  });

  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.wire.close()));
    await server.close();
  });

  async function connectApp(appName: string | undefined, verbs: string[]): Promise<TestApp> {
    const wire = await WireClient.connect(server.adminAddress.port);
    expect((await wire.authenticate(SECRET, appName)).ok).toBe(true);
    expect((await wire.call('route', { verbs })).ok).toBe(true);
    const app = new TestApp(wire);
    apps.push(app);
    return app;
  }

  function connectionsDownTo(count: number): Promise<void> {
    return until(() => server.control.stats.connections <= count);
  }

  it('spreads new calls round robin over two applications and keeps each BYE with its call', async () => {
    const pair = [await connectApp('rr', ['INVITE']), await connectApp('rr', ['INVITE'])];
    const result = await runSipp({ scenario: CALL, remote, calls: 4, limit: 1 });
    expect(result.successfulCalls).toBe(4);
    for (const app of pair) {
      expect(app.methods().filter((m) => m === 'INVITE')).toHaveLength(2);
      const invites = app.seen.filter((s) => s.method === 'INVITE').map((s) => s.callId);
      const byes = app.seen.filter((s) => s.method === 'BYE').map((s) => s.callId);
      expect(byes.sort()).toEqual(invites.sort());
    }
  });

  it('spreads calls over three applications, one each, with ACK and BYE at the owner', async () => {
    const trio = [
      await connectApp(undefined, ['INVITE']),
      await connectApp(undefined, ['INVITE']),
      await connectApp(undefined, ['INVITE']),
    ];
    const result = await runSipp({ scenario: CALL, remote, calls: 3, limit: 1 });
    expect(result.successfulCalls).toBe(3);
    for (const app of trio) {
      expect(app.methods()).toEqual(['INVITE', 'ACK', 'BYE']);
      expect(new Set(app.seen.map((s) => s.callId)).size).toBe(1);
      expect(app.seen[2].notice.dialogId).toBeDefined();
    }
    // Nothing is left behind once the engine's transactions run out (Timers J and L).
    await until(() => server.control.stats.serverTransactions === 0);
    expect(server.control.stats).toEqual({
      connections: 3,
      serverTransactions: 0,
      clientTransactions: 0,
      dialogs: 0,
      calls: 0,
    });
  });

  /** Runs a call whose owner drops after the ACK; the BYE then must get `byeStatus`. */
  async function callWhoseOwnerDrops(
    byeStatus: number,
    owner: TestApp,
  ): Promise<{ callId: string; expectedConnections: number }> {
    const sipp = await startSipp({ scenario: callWithByeAfterSignal(byeStatus), remote });
    const ack = await new Promise<Seen>(
      (resolve) => (owner.onRequest = (seen) => seen.method === 'ACK' && resolve(seen)),
    );
    const expectedConnections = server.control.stats.connections - 1;
    await owner.wire.close();
    await connectionsDownTo(expectedConnections);
    await signalSipp(sipp.port, ack.callId);
    const result = await sipp.done;
    expect(result.errors).toBe('');
    expect(result.successfulCalls).toBe(1);
    return { callId: ack.callId, expectedConnections };
  }

  it('fails a dialog over to another connection of the same appName when its owner drops mid-call', async () => {
    const owner = await connectApp('billing', ['INVITE']);
    const stranger = await connectApp('other', ['INVITE']);
    const successor = await connectApp('billing', []);
    const { callId } = await callWhoseOwnerDrops(200, owner);
    expect(owner.methods()).toEqual(['INVITE', 'ACK']);
    expect(successor.seen.map((s) => [s.method, s.callId])).toEqual([['BYE', callId]]);
    expect(successor.seen[0].notice.dialogId).toBeDefined();
    expect(stranger.seen).toEqual([]);
  });

  it('answers 481 to the BYE when no connection of the appName is left', async () => {
    const owner = await connectApp('solo', ['INVITE']);
    const stranger = await connectApp('other', ['INVITE']);
    await callWhoseOwnerDrops(481, owner);
    expect(stranger.seen).toEqual([]);
  });

  it('answers 503 when no application registered INVITE', async () => {
    await connectApp(undefined, ['OPTIONS']);
    const result = await runSipp({ scenario: rejectedCall(503), remote });
    expect(result.successfulCalls).toBe(1);
  });

  it('answers 480 to an INVITE whose application disconnects before answering', async () => {
    const app = await connectApp(undefined, ['INVITE']);
    app.decide = () => undefined;
    app.onRequest = () => void app.wire.close();
    const result = await runSipp({ scenario: rejectedCall(480), remote });
    expect(result.successfulCalls).toBe(1);
    await connectionsDownTo(0);
    expect(server.control.stats).toMatchObject({ serverTransactions: 0, clientTransactions: 0 });
  });

  it('places a call for an application: responses with raw SIP, dialog notices, BYE in the dialog', async () => {
    const app = await connectApp('caller', []);
    const sipp = await startSipp({ scenario: 'sn:uas' });
    const sent = await app.wire.call('request', {
      method: 'INVITE',
      uri: sipp.uri('service'),
      headers: { 'Content-Type': 'application/sdp' },
      body: SDP,
    });
    if (!sent.ok) throw new Error(sent.error.message);
    let final: Frame;
    do final = await app.wire.notification('response');
    while (!/^SIP\/2.0 2/.test(final.sip ?? ''));
    const dialogId = (final.envelope.data as { dialogId?: string }).dialogId as string;
    expect(final.envelope.data).toMatchObject({
      transactionId: sent.data.transactionId,
      dialogId: expect.any(String),
    });
    const bye = await app.wire.call('request', { method: 'BYE', dialogId });
    expect(bye.ok).toBe(true);
    const byeResponse = await app.wire.notification('response');
    expect(byeResponse.sip).toMatch(/^SIP\/2.0 200/);
    const states: string[] = [];
    while (!states.includes('terminated'))
      states.push(
        ((await app.wire.notification('dialog')).envelope.data as { event: string }).event,
      );
    expect(states).toContain('confirmed');
    expect((await sipp.done).successfulCalls).toBe(1);
  });

  it('tells the application of a CANCEL after the server answered it (200 and 487)', async () => {
    const app = await connectApp(undefined, ['INVITE']);
    app.decide = (seen) => (seen.method === 'INVITE' ? { status: 180 } : undefined);
    const result = await runSipp({ scenario: CANCELED_CALL, remote });
    expect(result.successfulCalls).toBe(1);
    const cancel = await app.wire.notification('cancel');
    const invite = app.seen.find((s) => s.method === 'INVITE') as Seen;
    expect(cancel.envelope.data).toMatchObject({
      transactionId: invite.notice.transactionId,
      source: { transport: 'udp' },
    });
    expect(cancel.sip).toMatch(/^CANCEL /);
    expect(
      await app.wire.call('respond', { transactionId: invite.notice.transactionId, status: 200 }),
    ).toMatchObject({ ok: false });
  });

  it('sends a reliable provisional for the application and hands it the PRACK', async () => {
    const app = await connectApp(undefined, ['INVITE']);
    let inviteId = '';
    app.decide = (seen) => {
      if (seen.method === 'INVITE') {
        inviteId = seen.notice.transactionId;
        return {
          status: 183,
          headers: { Require: '100rel', 'Content-Type': 'application/sdp' },
          body: SDP,
        };
      }
      return answerAll(seen);
    };
    // Once the PRACK is answered, the call is answered too.
    app.afterAnswer = async (seen) =>
      seen.method === 'PRACK' &&
      app.wire.call('respond', {
        transactionId: inviteId,
        status: 200,
        body: SDP,
        headers: { 'Content-Type': 'application/sdp' },
      });
    const result = await runSipp({ scenario: PRACKED_CALL, remote });
    expect(result.errors).toBe('');
    expect(result.successfulCalls).toBe(1);
    expect(app.methods()).toEqual(['INVITE', 'PRACK', 'ACK', 'BYE']);
    const prack = app.seen[1].notice;
    expect(prack.inviteTransactionId ?? prack.dialogId).toBeDefined();
  });

  it('cancels an INVITE the application sent', async () => {
    const app = await connectApp(undefined, []);
    const sipp = await startSipp({ scenario: RINGING_UNTIL_CANCELED });
    const sent = await app.wire.call('request', {
      method: 'INVITE',
      uri: sipp.uri('service'),
      headers: { 'Content-Type': 'application/sdp' },
      body: SDP,
    });
    if (!sent.ok) throw new Error(sent.error.message);
    const ringing = await app.wire.notification('response');
    expect(ringing.sip).toMatch(/^SIP\/2.0 180/);
    expect(await app.wire.call('cancel', { transactionId: sent.data.transactionId })).toMatchObject(
      { ok: true, sip: expect.stringMatching(/^CANCEL /) },
    );
    const terminated = await app.wire.notification('response');
    expect(terminated.envelope.data).toMatchObject({ transactionId: sent.data.transactionId });
    expect(terminated.sip).toMatch(/^SIP\/2.0 487/);
    expect((await sipp.done).successfulCalls).toBe(1);
  });

  it('keeps serving calls while another connection sends garbage', async () => {
    const app = await connectApp(undefined, ['INVITE']);
    const garbage = [
      Buffer.from('not a frame at all'),
      encodeFrame(
        '{"type":"request","rid":"1","command":"respond","data":{"transactionId":"x","status":"200"}}',
      ),
      encodeFrame(Buffer.from([0xff, 0xfe, 0x00, 0x0a, 0x23])),
      Buffer.from('99999999999#'),
    ];
    for (const bytes of garbage) {
      const fuzzer = await WireClient.connect(server.adminAddress.port);
      await fuzzer.authenticate(SECRET);
      fuzzer.sendRaw(bytes);
      await fuzzer.close();
    }
    const result = await runSipp({ scenario: CALL, remote });
    expect(result.successfulCalls).toBe(1);
    expect(app.methods()).toEqual(['INVITE', 'ACK', 'BYE']);
  });
});

/** Waits for a condition the server reaches on its own (the test's timeout bounds the wait). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** The NOTIFY that tells a waiting sipp scenario to go on (sipp matches it by Call-ID). */
function signalSipp(port: number, callId: string): Promise<void> {
  const notify = [
    `NOTIFY sip:sipp@127.0.0.1:${port} SIP/2.0`,
    'Via: SIP/2.0/UDP 127.0.0.1:9;branch=z9hG4bK-test-signal',
    'From: <sip:test@127.0.0.1>;tag=signal',
    'To: <sip:sipp@127.0.0.1>',
    `Call-ID: ${callId}`,
    'CSeq: 1 NOTIFY',
    'Max-Forwards: 70',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  const socket = createSocket('udp4');
  return new Promise((resolve, reject) =>
    socket.send(notify, port, '127.0.0.1', (err) => {
      socket.close();
      if (err) reject(err);
      else resolve();
    }),
  );
}
