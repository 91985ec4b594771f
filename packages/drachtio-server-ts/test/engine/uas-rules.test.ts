/**
 * The UAS rules the engine applies before any application sees a request (RFC 3261 8.2 and
 * friends), checked byte for byte with a raw UDP peer.
 */
import { connect } from 'node:net';
import { runSipp } from 'drachtio-test-kit';
import type { Engine } from '../../src/engine';
import { remoteOf, scenario, startEngine, TestApp, waitFor } from './helpers';
import { requestText, UdpPeer } from './udp-client';

let engine: Engine;
let app: TestApp;
let peer: UdpPeer;
let enginePort: number;

beforeAll(async () => {
  engine = await startEngine({ sessionTimers: { minSE: 90 } });
  app = new TestApp(engine);
  peer = await UdpPeer.open();
  enginePort = Number(remoteOf(engine).split(':')[1]);
});
afterAll(async () => {
  await peer.close();
  await engine.stop();
});
beforeEach(() => app.reset((request) => (request.method === 'ACK' ? undefined : { status: 200 })));

/** Sends a request and resolves with the final response carrying its branch. */
async function exchange(text: string): Promise<string> {
  const branch = /branch=([^;\r\n]+)/.exec(text)?.[1] ?? '';
  const from = peer.received.length;
  peer.send(text, enginePort);
  return peer.next(new RegExp(`^SIP/2.0 [2-6]\\d\\d[^]*branch=${branch}`), from);
}

test.each([
  ['505 for another SIP version', { version: 'SIP/3.0' }, /^SIP\/2.0 505 /],
  ['416 for an unsupported URI scheme', { uri: 'mailto:someone@example.com' }, /^SIP\/2.0 416 /],
  // Not OPTIONS: that one is answered at zero hops (RFC 4475 3.3.11, test/limits/request-checks.test.ts).
  [
    '483 when Max-Forwards is 0',
    { method: 'MESSAGE', headers: { 'Max-Forwards': '0' } },
    /^SIP\/2.0 483 /,
  ],
  ['501 for an unknown method', { method: 'FROBNICATE' }, /^SIP\/2.0 501 /],
  [
    '415 for an unknown Content-Encoding',
    { headers: { 'Content-Encoding': 'x-zip' }, body: 'abc' },
    /^SIP\/2.0 415 /,
  ],
  [
    '481 for a request in a dialog that does not exist',
    { method: 'BYE', headers: { To: '<sip:engine@127.0.0.1>;tag=nosuch' } },
    /^SIP\/2.0 481 /,
  ],
  ['481 for a CANCEL that matches nothing', { method: 'CANCEL' }, /^SIP\/2.0 481 /],
])('%s', async (_name, options, expected) => {
  const response = await exchange(requestText(peer.port, options));
  expect(response).toMatch(expected);
  expect(app.requests).toEqual([]);
});

test('420 with Unsupported for an unknown Require', async () => {
  const response = await exchange(requestText(peer.port, { headers: { Require: 'foo, 100rel' } }));
  expect(response).toMatch(/^SIP\/2.0 420 /);
  expect(response).toMatch(/^Unsupported: foo\r$/m);
});

test('422 with Min-SE for a session interval below ours', async () => {
  const response = await exchange(
    requestText(peer.port, { method: 'INVITE', headers: { 'Session-Expires': '30' } }),
  );
  expect(response).toMatch(/^SIP\/2.0 422 /);
  expect(response).toMatch(/^Min-SE: 90\r$/m);
});

test('400 naming the problem for a malformed request, and the engine keeps serving calls', async () => {
  const response = await exchange(requestText(peer.port, { headers: { CSeq: 'one OPTIONS' } }));
  expect(response).toMatch(/^SIP\/2.0 400 Bad Request - .*\S/);
  expect(app.requests).toEqual([]);
  const result = await runSipp({ scenario: scenario('uac-call'), remote: remoteOf(engine) });
  expect(result.exitCode).toBe(0);
});

test('a retransmitted request is absorbed: the last response goes out again, the application sees it once', async () => {
  app.answer = () => ({ status: 202 });
  const text = requestText(peer.port, { method: 'MESSAGE', body: 'hello' });
  const first = await exchange(text);
  const second = await exchange(text);
  expect(first).toMatch(/^SIP\/2.0 202 /);
  expect(second).toBe(first);
  expect(app.methods()).toEqual(['MESSAGE']);
});

test('482 for a merged request: same From tag, Call-ID and CSeq over another branch', async () => {
  app.answer = () => undefined;
  const headers = { From: '<sip:a@127.0.0.1>;tag=merge', 'Call-ID': `merged-${Date.now()}` };
  const first = requestText(peer.port, {
    method: 'INVITE',
    headers: { ...headers, Via: `SIP/2.0/UDP 127.0.0.1:${peer.port};branch=z9hG4bKm1` },
  });
  const second = requestText(peer.port, {
    method: 'INVITE',
    headers: { ...headers, Via: `SIP/2.0/UDP 127.0.0.1:${peer.port};branch=z9hG4bKm2` },
  });
  const from = peer.received.length;
  peer.send(first, enginePort);
  await peer.next(/^SIP\/2.0 100 /, from);
  expect(await exchange(second)).toMatch(/^SIP\/2.0 482 /);
  expect(app.methods()).toEqual(['INVITE']);
  await engine.respond({ transactionId: app.requests[0]?.transactionId ?? '', status: 480 });
});

test('an INVITE answered 2xx still matches: its retransmission is absorbed, its CANCEL gets 200, a merged copy 482', async () => {
  app.answer = (request) => (request.method === 'INVITE' ? { status: 200 } : undefined);
  const callId = `answered-${Date.now()}`;
  const headers = { From: '<sip:a@127.0.0.1>;tag=answered', 'Call-ID': callId };
  const via = `SIP/2.0/UDP 127.0.0.1:${peer.port};branch=z9hG4bKans1`;
  const invite = requestText(peer.port, { method: 'INVITE', headers: { ...headers, Via: via } });
  const ok = await exchange(invite);
  expect(ok).toMatch(/^SIP\/2.0 200 /);

  peer.send(invite, enginePort);
  const cancel = requestText(peer.port, {
    method: 'CANCEL',
    headers: { ...headers, Via: via, CSeq: '1 CANCEL' },
  });
  expect(await exchange(cancel)).toMatch(/^SIP\/2.0 200 [^]*CSeq: 1 CANCEL/);
  const merged = requestText(peer.port, {
    method: 'INVITE',
    headers: { ...headers, Via: `SIP/2.0/UDP 127.0.0.1:${peer.port};branch=z9hG4bKans2` },
  });
  expect(await exchange(merged)).toMatch(/^SIP\/2.0 482 /);
  // Requests from one socket are handled in order: the retransmission came before the CANCEL.
  expect(app.methods()).toEqual(['INVITE']);
  expect(app.cancels).toEqual([]);

  const toTag = /^To: .*;tag=([^;\r\n]+)/m.exec(ok)?.[1] ?? '';
  const ack = requestText(peer.port, {
    method: 'ACK',
    headers: { ...headers, To: `<sip:engine@127.0.0.1>;tag=${toTag}`, CSeq: '1 ACK' },
  });
  peer.send(ack, enginePort);
  await waitFor(() => app.methods().includes('ACK'));
});

test('RFC 3581: the response carries received and rport, and goes to the source port', async () => {
  const text = requestText(peer.port, {
    headers: { Via: 'SIP/2.0/UDP 192.0.2.1:5099;rport;branch=z9hG4bKnat1' },
  });
  const response = await exchange(text);
  expect(response).toMatch(
    new RegExp(
      `^Via: SIP/2.0/UDP 192.0.2.1:5099;rport=${peer.port};branch=z9hG4bKnat1;received=127.0.0.1\\r$`,
      'm',
    ),
  );
});

test('protected headers set by the application are dropped', async () => {
  app.answer = () => ({
    status: 200,
    headers: { 'Call-ID': 'hijack', CSeq: '99 OPTIONS', 'X-Custom': 'kept' },
  });
  const response = await exchange(requestText(peer.port));
  expect(response).not.toContain('hijack');
  expect(response).not.toContain('99 OPTIONS');
  expect(response).toMatch(/^X-Custom: kept\r$/m);
});

test('a malformed TCP stream closes that connection only', async () => {
  const port = Number(remoteOf(engine, 'tcp').split(':')[1]);
  const socket = connect(port, '127.0.0.1');
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.on('error', () => undefined);
  socket.write(
    'OPTIONS sip:x@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.1:1;branch=z9hG4bKbad\r\n\r\n',
  );
  await closed;
  const result = await runSipp({
    scenario: scenario('uac-options'),
    remote: remoteOf(engine, 'tcp'),
    transport: 'tcp',
  });
  expect(result.exitCode).toBe(0);
});

test('a request the application never answers gets 408 once the client has given up (64*T1)', async () => {
  app.answer = () => undefined;
  const response = await exchange(requestText(peer.port, { method: 'INFO' }));
  expect(response).toMatch(/^SIP\/2.0 408 /);
  expect(app.methods()).toEqual(['INFO']);
  await waitFor(() => app.ended.includes(app.requests[0]?.transactionId ?? ''));
});
