import fc from 'fast-check';
import pino from 'pino';
import { encodeFrame, type Envelope, type RequestNotice } from 'drachtio-protocol';
import { ControlPlane, DEFAULT_CONTROL_OPTIONS, type ControlOptions } from '../../src/control';
import { FakeEngine } from './fake-engine';
import { WireClient } from './wire-client';

const SECRET = 'sesame';

/** Pure unit tests of the control plane: real TCP connections, a fake engine behind them. */
describe('control plane (fake engine)', () => {
  let engine: FakeEngine;
  let control: ControlPlane;
  let port: number;
  const clients: WireClient[] = [];

  async function start(options: Partial<ControlOptions> = {}) {
    engine = new FakeEngine();
    control = new ControlPlane(
      engine,
      { ...DEFAULT_CONTROL_OPTIONS, port: 0, secret: SECRET, ...options },
      pino({ level: 'silent' }),
    );
    ({ port } = await control.listen());
  }

  async function app(
    appName?: string,
    verbs: string[] = ['INVITE', 'OPTIONS'],
  ): Promise<WireClient> {
    const client = await WireClient.connect(port);
    clients.push(client);
    const auth = await client.authenticate(SECRET, appName);
    expect(auth.ok).toBe(true);
    expect((await client.call('route', { verbs })).ok).toBe(true);
    return client;
  }

  /** Waits until the fake engine has seen n responses. */
  async function responses(n: number) {
    while (engine.responded.length < n) await new Promise((r) => setImmediate(r));
    return engine.responded;
  }

  beforeEach(() => start());

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
    await control.close();
  });

  describe('authentication', () => {
    it('answers with the agreed version and the SIP contacts', async () => {
      const client = await WireClient.connect(port);
      clients.push(client);
      const reply = await client.authenticate(SECRET, 'app');
      expect(reply).toMatchObject({
        ok: true,
        data: { version: 2, hostport: '127.0.0.1:5070', contacts: engine.contacts },
      });
      expect(reply.ok && typeof reply.data.serverVersion).toBe('string');
    });

    it('reads a frame written one byte at a time, and several frames written at once', async () => {
      const client = await WireClient.connect(port);
      clients.push(client);
      const auth = encodeFrame(
        JSON.stringify({
          type: 'request',
          rid: 'a',
          command: 'authenticate',
          data: { secret: SECRET, versions: [1] },
        }),
      );
      for (const byte of auth) {
        client.sendRaw(Buffer.from([byte]));
        await new Promise((resolve) => setImmediate(resolve));
      }
      expect((await client.next()).envelope).toMatchObject({ rid: 'a', ok: true });
      client.sendRaw(
        Buffer.concat([
          encodeFrame(
            JSON.stringify({
              type: 'request',
              rid: 'b',
              command: 'route',
              data: { verbs: ['INVITE'] },
            }),
          ),
          encodeFrame(JSON.stringify({ type: 'request', rid: 'c', command: 'ping', data: {} })),
          encodeFrame(JSON.stringify({ type: 'request', rid: 'd', command: 'ping' })),
        ]),
      );
      const rids = [
        (await client.next()).envelope,
        (await client.next()).envelope,
        (await client.next()).envelope,
      ].map((e) => (e as { rid: string }).rid);
      expect(rids.sort()).toEqual(['b', 'c', 'd']);
      const id = engine.receive('INVITE', {
        raw: 'INVITE sip:zoë@127.0.0.1 SIP/2.0\r\nSubject: ☎ 日本語\r\nContent-Length: 0\r\n\r\n',
      });
      const request = await client.notification('request');
      expect(request.envelope.data).toMatchObject({ transactionId: id });
      expect(request.sip).toBe(
        'INVITE sip:zoë@127.0.0.1 SIP/2.0\r\nSubject: ☎ 日本語\r\nContent-Length: 0\r\n\r\n',
      );
    });

    it('refuses a wrong secret with a reason, then closes', async () => {
      const client = await WireClient.connect(port);
      clients.push(client);
      const reply = await client.authenticate('wrong');
      expect(reply).toMatchObject({
        ok: false,
        error: { code: 'auth-failed', message: 'authentication failed: wrong secret' },
      });
      await client.closed;
    });

    it('refuses an unsupported protocol version with a reason, then closes', async () => {
      const client = await WireClient.connect(port);
      clients.push(client);
      const reply = await client.call('authenticate', { secret: SECRET, versions: [7, 8] });
      expect(reply).toMatchObject({ ok: false, error: { code: 'unsupported-version' } });
      expect(!reply.ok && reply.error.message).toMatch(/offered 7, 8; this server speaks 1/);
      await client.closed;
    });

    it('closes a connection that sends any other command first', async () => {
      const client = await WireClient.connect(port);
      clients.push(client);
      const reply = await client.call('route', { verbs: ['INVITE'] });
      expect(reply).toMatchObject({ ok: false, error: { code: 'not-authenticated' } });
      await client.closed;
    });

    it('closes a connection that never authenticates', async () => {
      await control.close();
      await start({ authTimeout: 50 });
      const client = await WireClient.connect(port);
      clients.push(client);
      await client.closed;
      expect(client.isClosed).toBe(true);
    });

    it('refuses a second authenticate on the same connection', async () => {
      const client = await app();
      const reply = await client.authenticate(SECRET);
      expect(reply).toMatchObject({ ok: false, error: { code: 'invalid-state' } });
      expect(client.isClosed).toBe(false);
    });
  });

  describe('routing new requests', () => {
    it('hands requests round robin to the connections that registered the verb', async () => {
      const apps = [await app(), await app(), await app()];
      const ids = [1, 2, 3, 4, 5, 6].map(() => engine.receive('INVITE'));
      const received = await Promise.all(
        apps.flatMap((a) => [a.notification('request'), a.notification('request')]),
      );
      const byApp = [0, 1, 2].map((i) =>
        [received[2 * i], received[2 * i + 1]].map(
          (f) => (f.envelope.data as RequestNotice).transactionId,
        ),
      );
      expect(byApp).toEqual([
        [ids[0], ids[3]],
        [ids[1], ids[4]],
        [ids[2], ids[5]],
      ]);
    });

    it('sends a request only to connections that registered its verb, with the raw SIP after the JSON', async () => {
      const inviteOnly = await app(undefined, ['INVITE']);
      const registerOnly = await app(undefined, ['register']);
      const id = engine.receive('REGISTER');
      const frame = await registerOnly.notification('request');
      expect(frame.envelope.data).toMatchObject({
        transactionId: id,
        source: { transport: 'udp' },
      });
      expect(frame.sip).toMatch(/^REGISTER sip:service@127.0.0.1 SIP\/2.0\r\n/);
      expect(inviteOnly.frames).toEqual([]);
    });

    it('answers 503 when no application registered the verb', async () => {
      await app(undefined, ['INVITE']);
      const id = engine.receive('SUBSCRIBE');
      expect(await responses(1)).toEqual([{ transactionId: id, status: 503 }]);
    });

    it('answers OPTIONS with 200 when configured to, and uses the configured status otherwise', async () => {
      await control.close();
      await start({ autoAnswerOptions: true, noAppStatus: 480 });
      const options = engine.receive('OPTIONS');
      const message = engine.receive('MESSAGE');
      expect(await responses(2)).toEqual([
        { transactionId: options, status: 200 },
        { transactionId: message, status: 480 },
      ]);
    });

    it('refuses new requests once the server stops accepting', async () => {
      const a = await app();
      control.stopAccepting();
      const id = engine.receive('INVITE');
      expect(await responses(1)).toEqual([{ transactionId: id, status: 503 }]);
      expect(a.frames).toEqual([]);
    });
  });

  describe('affinity', () => {
    it('lets only the owning connection answer a request', async () => {
      const [a, b] = [await app(), await app()];
      const id = engine.receive('INVITE');
      await a.notification('request');
      const stolen = await b.call('respond', { transactionId: id, status: 200 });
      expect(stolen).toMatchObject({ ok: false, error: { code: 'unknown-transaction' } });
      const own = await a.call('respond', { transactionId: id, status: 180 });
      expect(own).toMatchObject({ ok: true });
      expect(engine.responded).toEqual([{ transactionId: id, status: 180 }]);
    });

    it('sends the CANCEL and the dialog notice to the connection that owns the INVITE', async () => {
      const [a, b] = [await app(), await app()];
      const first = engine.receive('INVITE');
      engine.receive('INVITE'); // goes to b
      await a.notification('request');
      await b.notification('request');
      engine.emit('cancel', {
        transactionId: first,
        raw: 'CANCEL sip:x SIP/2.0\r\n\r\n',
        source: { address: '127.0.0.1', port: 5099, transport: 'udp' },
      });
      const cancel = await a.notification('cancel');
      expect(cancel.envelope.data).toMatchObject({ transactionId: first });
      expect(cancel.sip).toMatch(/^CANCEL/);
      const second = engine.receive('INVITE', { callId: 'call-x' }); // a again
      await a.notification('request');
      await a.call('respond', { transactionId: second, status: 200 });
      const dialog = await a.notification('dialog');
      expect(dialog.envelope.data).toMatchObject({ event: 'confirmed', role: 'uas' });
      expect(b.frames).toEqual([]);
    });

    it('tells the INVITE owner of a PRACK the engine answered itself, marked answered', async () => {
      const [a, b] = [await app(), await app()];
      const invite = engine.receive('INVITE');
      await a.notification('request');
      engine.receive('PRACK', { inviteTransactionId: invite, answered: true });
      expect((await a.notification('request')).envelope.data).toMatchObject({
        inviteTransactionId: invite,
        answered: true,
      });
      expect(b.frames.filter((f) => f.envelope.command === 'request')).toEqual([]);
    });

    it('routes in-dialog requests to the dialog owner, not round robin', async () => {
      const [a, b] = [await app(), await app()];
      const invite = engine.receive('INVITE');
      await a.notification('request');
      const answered = await a.call('respond', { transactionId: invite, status: 200 });
      const dialogId = answered.ok ? (answered.data.dialogId as string) : '';
      for (let i = 0; i < 3; i++) engine.receive('INFO', { dialogId });
      for (let i = 0; i < 3; i++)
        expect((await a.notification('request')).envelope.data).toMatchObject({ dialogId });
      expect(b.frames.filter((f) => f.envelope.command === 'request')).toEqual([]);
    });

    it('fails dialogs over to another connection of the same appName when the owner drops', async () => {
      const a = await app('billing');
      const other = await app('other-app');
      const b = await app('billing');
      const invite = engine.receive('INVITE');
      await a.notification('request');
      const answered = await a.call('respond', { transactionId: invite, status: 200 });
      const dialogId = answered.ok ? (answered.data.dialogId as string) : '';
      await a.close();
      while (control.stats.connections > 2) await new Promise((r) => setImmediate(r));
      const bye = engine.receive('BYE', { dialogId });
      expect((await b.notification('request')).envelope.data).toMatchObject({
        transactionId: bye,
        dialogId,
      });
      // b now owns the dialog and may act in it; the other application may not.
      expect(await b.call('request', { method: 'INFO', dialogId })).toMatchObject({ ok: true });
      expect(await other.call('request', { method: 'INFO', dialogId })).toMatchObject({
        ok: false,
        error: { code: 'unknown-dialog' },
      });
    });

    it('answers 481 (480 for INVITE) to in-dialog requests when no connection of the appName is left', async () => {
      const a = await app('lonely');
      const invite = engine.receive('INVITE');
      await a.notification('request');
      const answered = await a.call('respond', { transactionId: invite, status: 200 });
      const dialogId = answered.ok ? (answered.data.dialogId as string) : '';
      await a.close();
      while (control.stats.connections > 0) await new Promise((r) => setImmediate(r));
      const bye = engine.receive('BYE', { dialogId });
      const reinvite = engine.receive('INVITE', { dialogId });
      const ack = engine.receive('ACK', { dialogId });
      const answers = await responses(3);
      expect(answers.slice(1)).toEqual([
        { transactionId: bye, status: 481 },
        { transactionId: reinvite, status: 480 },
      ]);
      expect(answers.some((r) => r.transactionId === ack)).toBe(false);
    });

    it('answers what a dropped connection left pending and forgets all of it', async () => {
      await control.close();
      await start({ disconnectStatus: 503 });
      const a = await app();
      const pending = engine.receive('INVITE');
      const answered = engine.receive('INVITE');
      await a.notification('request');
      await a.notification('request');
      await a.call('respond', { transactionId: answered, status: 486 });
      const sent = await a.call('request', { method: 'OPTIONS', uri: 'sip:far@127.0.0.1' });
      // The answered INVITE is settled and forgotten at once; the pending one is still owed.
      expect(control.stats).toMatchObject({ serverTransactions: 1, clientTransactions: 1 });
      await a.close();
      expect(await responses(2)).toEqual([
        { transactionId: answered, status: 486 },
        { transactionId: pending, status: 503 },
      ]);
      expect(control.stats).toEqual({
        connections: 0,
        serverTransactions: 0,
        clientTransactions: 0,
        dialogs: 0,
        calls: 0,
      });
      // A late response for the dropped connection's request goes nowhere and breaks nothing.
      engine.answer(sent.ok ? sent.data.transactionId : '', 200);
    });

    it('forgets transactions and dialogs the engine reports over', async () => {
      const a = await app();
      const invite = engine.receive('INVITE');
      await a.notification('request');
      const answered = await a.call('respond', { transactionId: invite, status: 200 });
      const dialogId = answered.ok ? (answered.data.dialogId as string) : '';
      engine.emit('transaction-end', invite);
      engine.emit('dialog', {
        dialogId,
        event: 'terminated',
        role: 'uas',
        callId: `call-${invite}`,
        reason: 'normal far end release',
      });
      expect((await a.notification('dialog')).envelope.data).toMatchObject({ event: 'confirmed' });
      expect((await a.notification('dialog')).envelope.data).toMatchObject({
        event: 'terminated',
        reason: 'normal far end release',
      });
      expect(control.stats).toEqual({
        connections: 1,
        serverTransactions: 0,
        clientTransactions: 0,
        dialogs: 0,
        calls: 0,
      });
    });
  });

  describe('commands', () => {
    it('sends requests, reports their responses with raw SIP, and refuses ACK/CANCEL of another connection', async () => {
      const [a, b] = [await app(), await app()];
      const reply = await a.call('request', {
        method: 'INVITE',
        uri: 'sip:bob@127.0.0.1',
        body: 'v=0',
      });
      expect(reply.ok).toBe(true);
      const transactionId = reply.ok ? reply.data.transactionId : '';
      engine.answer(transactionId, 200, 'uac-dialog');
      const response = await a.notification('response');
      expect(response.envelope.data).toMatchObject({ transactionId, dialogId: 'uac-dialog' });
      expect(response.sip).toMatch(/^SIP\/2.0 200/);
      expect(await b.call('ack', { transactionId })).toMatchObject({
        ok: false,
        error: { code: 'unknown-transaction' },
      });
      expect(await b.call('cancel', { transactionId })).toMatchObject({
        ok: false,
        error: { code: 'unknown-transaction' },
      });
      // Only the sender may have its request re-sent with credentials.
      expect(await b.call('request', { method: 'INVITE', retryOf: transactionId })).toMatchObject({
        ok: false,
        error: { code: 'unknown-transaction' },
      });
      expect(await a.call('request', { method: 'INVITE', retryOf: 'nobody' })).toMatchObject({
        ok: false,
        error: { code: 'unknown-transaction' },
      });
      expect(engine.sent.filter((sent) => sent.retryOf !== undefined)).toEqual([]);
      // The ACK as sent travels after the JSON, not escaped into it.
      expect(await a.call('ack', { transactionId, body: 'v=0' })).toEqual({
        type: 'response',
        rid: expect.any(String),
        ok: true,
        data: {},
        sip: 'ACK',
      });
      expect(engine.acked).toEqual([{ transactionId, body: 'v=0' }]);
      expect(await b.call('request', { method: 'BYE', dialogId: 'uac-dialog' })).toMatchObject({
        ok: false,
        error: { code: 'unknown-dialog' },
      });
    });

    it('replies to the request command before reporting any response to it', async () => {
      const a = await app();
      await a.call('request', { method: 'OPTIONS', uri: 'sip:instant@127.0.0.1' });
      // The fake engine answered inside engine.request(): the reply must still come first.
      expect((await a.notification('response')).envelope.data).toMatchObject({
        transactionId: 'ct1',
      });
    });

    it("proxy (version 2): the reply first, then the outcome as a proxy notice; the request is no longer the app's to answer", async () => {
      const a = await app();
      const transactionId = engine.receive('INVITE');
      await a.notification('request');
      const reply = await a.call('proxy', {
        transactionId,
        destinations: ['sip:b@127.0.0.1:5072'],
        forking: 'simultaneous',
      });
      expect(reply).toMatchObject({ ok: true, data: {} });
      // The fake engine reports the outcome inside engine.proxy(): it still follows the reply.
      expect((await a.notification('proxy')).envelope.data).toEqual({
        transactionId,
        finalStatus: 408,
        finalReason: 'Request Timeout',
        branches: [],
      });
      expect(await a.call('respond', { transactionId, status: 200 })).toMatchObject({
        ok: false,
        error: { code: 'unknown-transaction' },
      });
      expect(
        await a.call('proxy', { transactionId: 'nobody', destinations: ['sip:b@x'] }),
      ).toMatchObject({ ok: false, error: { code: 'unknown-transaction' } });
    });

    it('proxy is refused on a connection that negotiated version 1, and its bounds are checked', async () => {
      const old = await WireClient.connect(port);
      clients.push(old);
      expect(await old.call('authenticate', { secret: SECRET, versions: [1] })).toMatchObject({
        ok: true,
        data: { version: 1 },
      });
      await old.call('route', { verbs: ['INVITE'] });
      const transactionId = engine.receive('INVITE');
      await old.notification('request');
      expect(await old.call('proxy', { transactionId, destinations: ['sip:b@x'] })).toMatchObject({
        ok: false,
        error: { code: 'unknown-command' },
      });
      const destinations = Array.from({ length: 17 }, (_, i) => `sip:b${i}@x`);
      expect(await old.call('proxy', { transactionId, destinations })).toMatchObject({
        ok: false,
        error: { code: 'invalid-argument' },
      });
      expect(
        await old.call('proxy', {
          transactionId,
          destinations: ['sip:b@x'],
          forking: 'random' as 'sequential',
        }),
      ).toMatchObject({ ok: false, error: { code: 'invalid-argument' } });
      expect(engine.proxied).toEqual([]);
    });

    it('answers pings', async () => {
      const a = await app();
      expect(await a.call('ping', {})).toEqual({
        type: 'response',
        rid: expect.any(String),
        ok: true,
        data: {},
      });
    });
  });

  describe('bad input', () => {
    it('replies with a clear error and keeps the connection for malformed JSON, unknown commands and bad fields', async () => {
      const a = await app();
      a.sendRaw(encodeFrame('{"type":"request",'));
      expect((await a.next()).envelope).toMatchObject({
        type: 'response',
        rid: '',
        ok: false,
        error: { code: 'bad-json' },
      });
      a.send({ type: 'request', rid: 'x1', command: 'fly', data: {} } as unknown as Envelope);
      expect((await a.next()).envelope).toMatchObject({
        rid: 'x1',
        ok: false,
        error: { code: 'unknown-command', message: "unknown command 'fly'" },
      });
      a.send({
        type: 'request',
        rid: 'x2',
        command: 'respond',
        data: { transactionId: 't' },
      } as unknown as Envelope);
      expect((await a.next()).envelope).toMatchObject({
        rid: 'x2',
        ok: false,
        error: { code: 'invalid-argument', message: "respond: 'status' must be an integer" },
      });
      expect(await a.call('respond', { transactionId: 'nope', status: 200 })).toMatchObject({
        ok: false,
        error: { code: 'unknown-transaction' },
      });
      expect(await a.call('ping', {})).toMatchObject({ ok: true });
    });

    it('skips an oversized frame with an error and keeps the connection', async () => {
      await control.close();
      await start({ maxFrameSize: 256 });
      const a = await app();
      a.sendRaw(encodeFrame('x'.repeat(1000)));
      expect((await a.next()).envelope).toMatchObject({
        ok: false,
        error: { code: 'bad-frame', message: expect.stringMatching(/exceeds the maximum of 256/) },
      });
      expect(await a.call('ping', {})).toMatchObject({ ok: true });
    });

    it('closes only the connection with a bad length prefix', async () => {
      const [a, b] = [await app(), await app()];
      a.sendRaw('hello#world');
      expect((await a.next()).envelope).toMatchObject({
        ok: false,
        error: { code: 'bad-frame', message: expect.stringMatching(/bad length prefix/) },
      });
      await a.closed;
      expect(await b.call('ping', {})).toMatchObject({ ok: true });
      const id = engine.receive('INVITE');
      expect((await b.notification('request')).envelope.data).toMatchObject({ transactionId: id });
    });

    it('survives randomly mutated frames without disturbing another connection', async () => {
      const healthy = await app(undefined, ['INVITE']);
      const valid = Buffer.concat(
        [
          { type: 'request', rid: '1', command: 'route', data: { verbs: ['MESSAGE'] } },
          {
            type: 'request',
            rid: '2',
            command: 'respond',
            data: { transactionId: 'st1', status: 200, headers: { 'X-A': 'b' } },
          },
          {
            type: 'request',
            rid: '3',
            command: 'request',
            data: { method: 'OPTIONS', uri: 'sip:a@127.0.0.1' },
          },
          { type: 'request', rid: '4', command: 'ping', data: {} },
        ].map((envelope) => encodeFrame(JSON.stringify(envelope))),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 })), {
            minLength: 1,
            maxLength: 8,
          }),
          async (mutations) => {
            const fuzzer = await WireClient.connect(port);
            await fuzzer.authenticate(SECRET);
            const bytes = Buffer.from(valid);
            for (const [at, value] of mutations) bytes[at] = value;
            fuzzer.sendRaw(bytes);
            expect(await healthy.call('ping', {})).toMatchObject({ ok: true });
            await fuzzer.close();
          },
        ),
        { numRuns: 40 },
      );
      const id = engine.receive('INVITE');
      expect((await healthy.notification('request')).envelope.data).toMatchObject({
        transactionId: id,
      });
    });
  });

  describe('keepalive', () => {
    it('pings applications and drops one that stays silent', async () => {
      await control.close();
      await start({ keepaliveInterval: 40 });
      const lively = await app();
      const silent = await app();
      silent.answerPings = false;
      const ping = await silent.next(
        (f) => f.envelope.type === 'request' && f.envelope.command === 'ping',
      );
      expect(ping.envelope).toMatchObject({ type: 'request', command: 'ping', data: {} });
      await silent.closed;
      expect(await lively.call('ping', {})).toMatchObject({ ok: true });
    });
  });
});
