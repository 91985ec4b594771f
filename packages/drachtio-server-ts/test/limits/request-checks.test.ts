/**
 * The RFC 4475 cases and mandatory-header checks the server answers itself, before any
 * application sees the request; and a TCP request followed by junk gets its response first.
 */
import { connect } from 'node:net';
import type { Engine } from '../../src/engine';
import { remoteOf, startEngine, TestApp } from '../engine/helpers';
import { requestText, UdpPeer } from '../engine/udp-client';

jest.setTimeout(30_000);
let engine: Engine;
let app: TestApp;
let peer: UdpPeer;
let udp: number;

beforeAll(async () => {
  engine = await startEngine();
  app = new TestApp(engine);
  peer = await UdpPeer.open();
  udp = Number(remoteOf(engine, 'udp').split(':')[1]);
});
afterAll(async () => {
  await peer.close();
  await engine.stop();
});

async function answer(text: string): Promise<string> {
  const from = peer.received.length;
  peer.send(text, udp);
  const branch = /branch=([^;\r\n]+)/.exec(text)?.[1] ?? '';
  return peer.next(new RegExp(`^SIP/2.0 [2-6]\\d\\d [^]*${branch}`), from);
}

test('Max-Forwards with leading zeros is valid (RFC 4475 3.1.1.1: 0068)', async () => {
  expect(await answer(requestText(peer.port, { headers: { 'Max-Forwards': '0068' } }))).toMatch(
    /^SIP\/2.0 200/,
  );
});

test('OPTIONS with Max-Forwards 0 is answered (RFC 4475 3.3.11); INVITE gets 483', async () => {
  expect(await answer(requestText(peer.port, { headers: { 'Max-Forwards': '0' } }))).toMatch(
    /^SIP\/2.0 200/,
  );
  expect(
    await answer(requestText(peer.port, { method: 'INVITE', headers: { 'Max-Forwards': '0' } })),
  ).toMatch(/^SIP\/2.0 483/);
});

test('a From or To URI that does not parse gets 400 before any application sees it', async () => {
  app.reset();
  expect(
    await answer(requestText(peer.port, { headers: { From: '<sip:@@[bad>;tag=x1' } })),
  ).toMatch(/^SIP\/2.0 400 .*From URI/);
  expect(await answer(requestText(peer.port, { headers: { To: '<sip:a@[::1>' } }))).toMatch(
    /^SIP\/2.0 400 .*To URI/,
  );
  expect(app.requests).toHaveLength(0);
});

test('a Call-ID too long for the wire gets 400, never a half-delivered request', async () => {
  app.reset();
  const callId = `${'c'.repeat(300)}@test`;
  expect(await answer(requestText(peer.port, { headers: { 'Call-ID': callId } }))).toMatch(
    /^SIP\/2.0 400 .*too long/,
  );
  expect(app.requests).toHaveLength(0);
});

test("a request outside a dialog reusing a live dialog's Call-ID and From tag gets 482", async () => {
  app.reset();
  const headers = { 'Call-ID': `reuse-${Date.now()}@test`, From: `<sip:a@127.0.0.1>;tag=reused` };
  const invite = requestText(peer.port, { method: 'INVITE', headers });
  expect(await answer(invite)).toMatch(/^SIP\/2.0 200/);
  const second = requestText(peer.port, {
    method: 'INVITE',
    headers: { ...headers, CSeq: '5 INVITE' },
  });
  expect(await answer(second)).toMatch(/^SIP\/2.0 482/);
  expect(app.methods()).toEqual(['INVITE']);
});

test('TCP: a well-formed request followed by junk gets its response before the close', async () => {
  const tcp = Number(remoteOf(engine, 'tcp').split(':')[1]);
  const request = requestText(1, {
    headers: { Via: 'SIP/2.0/TCP 127.0.0.1:1;branch=z9hG4bKjunk1' },
  });
  const received = await new Promise<string>((resolve) => {
    let data = '';
    const socket = connect(tcp, '127.0.0.1', () =>
      socket.write(`${request}GARBAGE\r\nNo-Colon\r\n\r\n`),
    );
    socket.on('data', (chunk) => {
      data += chunk.toString();
      if (/^SIP\/2.0 200/.test(data)) socket.destroy();
    });
    socket.on('close', () => resolve(data));
    socket.on('error', () => undefined);
  });
  expect(received).toMatch(/^SIP\/2.0 200[^]*z9hG4bKjunk1/);
});
