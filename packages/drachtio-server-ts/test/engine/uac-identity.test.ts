/**
 * A request outside a dialog may carry the application's own Call-ID and CSeq (RFC 3261
 * 8.1.3.5, 22.2: a request re-sent with credentials keeps the challenged one's Call-ID, From tag
 * and To, with the CSeq one higher). Checked byte for byte against a raw UDP far end.
 */
import type { Engine } from '../../src/engine';
import { EngineError, type EngineResponse } from '../../src/engine-api';
import type { HeaderMap } from 'drachtio-protocol';
import { SDP, udpPortOf, waitFor } from './helpers';
import { engineWithPeer, type UdpPeer } from './udp-client';

let engine: Engine;
let peer: UdpPeer;
engineWithPeer((started, far) => ((engine = started), (peer = far)));

/** Every value of one header (by its exact name) in a message as it went out. */
function headerLines(message: string, name: string): string[] {
  return message
    .split('\r\n')
    .filter((line) => line.startsWith(`${name}:`))
    .map((line) => line.slice(name.length + 1).trim());
}

/** Sends a new request, answers it 200 from the peer, returns the request as the peer got it. */
async function sendAnswered(method: string, headers: HeaderMap): Promise<string> {
  const responses: EngineResponse[] = [];
  const from = peer.received.length;
  const sent = await engine.request(
    { method, uri: `sip:registrar@127.0.0.1:${peer.port}`, headers },
    (response) => responses.push(response),
  );
  const received = await peer.next(new RegExp(`^${method} `), from);
  expect(received).toBe(sent.raw);
  peer.send(peer.answer(received, '200 OK'), udpPortOf(engine));
  expect((await waitFor(() => responses.find((r) => r.status >= 200))).status).toBe(200);
  return received;
}

test('a request outside a dialog goes out with the Call-ID, From tag, To and CSeq the application gave it', async () => {
  const request = await sendAnswered('REGISTER', {
    'Call-ID': 'challenged-1@app.example',
    From: '<sip:alice@example.com>;tag=first-try',
    To: '<sip:alice@example.com>',
    CSeq: '2 REGISTER',
    Authorization: 'Digest username="alice"',
  });
  // Each exactly once: the engine writes them, the application's lines do not go out again.
  expect(headerLines(request, 'Call-ID')).toEqual(['challenged-1@app.example']);
  expect(headerLines(request, 'CSeq')).toEqual(['2 REGISTER']);
  expect(headerLines(request, 'From')).toEqual(['<sip:alice@example.com>;tag=first-try']);
  expect(headerLines(request, 'To')).toEqual(['<sip:alice@example.com>']);
  expect(headerLines(request, 'Authorization')).toEqual(['Digest username="alice"']);
});

test('compact and lower-case spellings count as Call-ID and CSeq', async () => {
  const request = await sendAnswered('OPTIONS', { i: 'compact@app.example', cseq: '7 OPTIONS' });
  expect(headerLines(request, 'Call-ID')).toEqual(['compact@app.example']);
  expect(headerLines(request, 'CSeq')).toEqual(['7 OPTIONS']);
  expect(request).not.toMatch(/^(i|cseq):/m);
});

test('the largest CSeq number RFC 3261 8.1.1.5 allows (2**31 - 1) is taken', async () => {
  const request = await sendAnswered('OPTIONS', { CSeq: '2147483647 OPTIONS' });
  expect(headerLines(request, 'CSeq')).toEqual(['2147483647 OPTIONS']);
  // The engine chose the Call-ID: none was given.
  expect(headerLines(request, 'Call-ID')).toEqual([expect.stringMatching(/\S+/)]);
});

test('a Call-ID without a CSeq starts at CSeq 1', async () => {
  const request = await sendAnswered('OPTIONS', { 'Call-ID': 'no-cseq@app.example' });
  expect(headerLines(request, 'CSeq')).toEqual(['1 OPTIONS']);
});

describe('invalid values are refused with invalid-argument, and nothing is sent', () => {
  const cases: Array<[string, string, HeaderMap]> = [
    ['a Call-ID with whitespace', 'REGISTER', { 'Call-ID': 'two words@app.example' }],
    ['an empty Call-ID', 'REGISTER', { 'Call-ID': '' }],
    ['a Call-ID with a character no word has', 'REGISTER', { 'Call-ID': 'semi;colon@app.example' }],
    ['a Call-ID with two @', 'REGISTER', { 'Call-ID': 'a@b@c' }],
    ['a Call-ID with a line break', 'REGISTER', { 'Call-ID': 'a@b\r\nVia: forged' }],
    ['two Call-IDs', 'REGISTER', { 'Call-ID': ['a@app.example', 'b@app.example'] }],
    [
      'a Call-ID and its compact form',
      'REGISTER',
      { 'Call-ID': 'a@app.example', i: 'b@app.example' },
    ],
    ['a CSeq for another method', 'REGISTER', { CSeq: '2 INVITE' }],
    ['a CSeq whose method differs in case', 'REGISTER', { CSeq: '2 register' }],
    ['a CSeq without a method', 'REGISTER', { CSeq: '2' }],
    ['a CSeq given as a bare number', 'REGISTER', { CSeq: 2 }],
    ['a CSeq without a number', 'REGISTER', { CSeq: 'REGISTER' }],
    ['a negative CSeq', 'REGISTER', { CSeq: '-1 REGISTER' }],
    ['a CSeq of 2**31', 'REGISTER', { CSeq: '2147483648 REGISTER' }],
    ['a CSeq with trailing junk', 'INVITE', { CSeq: '2 INVITE extra' }],
    ['two CSeqs', 'REGISTER', { CSeq: ['1 REGISTER', '2 REGISTER'] }],
  ];

  test.each(cases)('%s', async (_, method, headers) => {
    const from = peer.received.length;
    const sending = engine.request(
      { method, uri: `sip:registrar@127.0.0.1:${peer.port}`, headers },
      () => undefined,
    );
    await expect(sending).rejects.toBeInstanceOf(EngineError);
    await expect(sending).rejects.toMatchObject({
      code: 'invalid-argument',
      message: expect.stringMatching(/Call-ID|CSeq|line break/),
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(peer.received.slice(from)).toEqual([]);
  });
});

test('inside a dialog the application still cannot choose Call-ID or CSeq: they are dropped', async () => {
  const responses: EngineResponse[] = [];
  const from = peer.received.length;
  await engine.request(
    { method: 'INVITE', uri: `sip:peer@127.0.0.1:${peer.port}`, body: SDP },
    (response) => responses.push(response),
  );
  const invite = await peer.next(/^INVITE /, from);
  peer.send(peer.answer(invite, '200 OK'), udpPortOf(engine));
  const ok = await waitFor(() => responses.find((r) => r.status === 200));
  await peer.next(/^ACK /, from);

  const infoFrom = peer.received.length;
  await engine.request(
    {
      method: 'INFO',
      dialogId: ok.dialogId,
      headers: { 'Call-ID': 'hijack@app.example', CSeq: '99 INFO' },
    },
    () => undefined,
  );
  const info = await peer.next(/^INFO /, infoFrom);
  expect(headerLines(info, 'Call-ID')).toEqual(headerLines(invite, 'Call-ID'));
  expect(headerLines(info, 'CSeq')).toEqual(['2 INFO']);
  peer.send(peer.answer(info, '200 OK'), udpPortOf(engine));
  await engine.request({ method: 'BYE', dialogId: ok.dialogId }, () => undefined);
  const bye = await peer.next(/^BYE /, infoFrom);
  peer.send(peer.answer(bye, '200 OK'), udpPortOf(engine));
});
