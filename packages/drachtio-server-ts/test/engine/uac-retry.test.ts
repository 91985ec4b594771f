/**
 * `retryOf` (docs/protocol.md 6.4): a request answered 401/407 is re-sent by the engine from
 * what it sent, with the application's credentials (RFC 3261 22.2). Checked byte for byte
 * against a raw UDP far end.
 */
import type { EngineResponse } from '../../src/engine-api';
import { SDP, udpPortOf, waitFor } from './helpers';
import type { Engine } from '../../src/engine';
import { engineWithPeer, headerValues as headerLines, type UdpPeer } from './udp-client';

let engine: Engine;
let peer: UdpPeer;
engineWithPeer((started, far) => ((engine = started), (peer = far)));

const branchOf = (message: string) => /branch=([^;\s]+)/.exec(message)?.[1];

/** Sends `method`, has the peer answer it `status`, returns what was sent and the responses. */
async function challenged(method: string, status: string, headers = {}, body?: string) {
  const responses: EngineResponse[] = [];
  const from = peer.received.length;
  const sent = await engine.request(
    { method, uri: `sip:registrar@127.0.0.1:${peer.port}`, headers, body },
    (response) => responses.push(response),
  );
  const request = await peer.next(new RegExp(`^${method} `), from);
  peer.send(peer.answer(request, status), udpPortOf(engine));
  await waitFor(() => responses.find((r) => r.status >= 200));
  return { sent, request, responses };
}

test('a REGISTER answered 401 is re-sent with the credentials, CSeq + 1, same Call-ID, From and To', async () => {
  const first = await challenged('REGISTER', '401 Unauthorized', {
    To: '<sip:alice@example.com>',
    From: '<sip:alice@example.com>',
    Contact: '<sip:alice@127.0.0.1:5099>',
    Expires: 600,
    Authorization: 'Digest username="alice", stale',
  });
  const from = peer.received.length;
  const responses: EngineResponse[] = [];
  const retry = await engine.request(
    {
      method: 'REGISTER',
      retryOf: first.sent.transactionId,
      headers: { Authorization: 'Digest username="alice", response="fresh"' },
    },
    (response) => responses.push(response),
  );
  const again = await peer.next(/^REGISTER /, from);
  expect(again).toBe(retry.raw);
  expect(retry.transactionId).not.toBe(first.sent.transactionId);
  expect(retry.callId).toBe(first.sent.callId);
  for (const name of ['Call-ID', 'From', 'To', 'Contact', 'Expires'])
    expect(headerLines(again, name)).toEqual(headerLines(first.request, name));
  expect(again.split('\r\n')[0]).toBe(first.request.split('\r\n')[0]);
  expect(headerLines(again, 'CSeq')).toEqual(['2 REGISTER']);
  expect(headerLines(again, 'Authorization')).toEqual([
    'Digest username="alice", response="fresh"',
  ]);
  expect(branchOf(again)).not.toBe(branchOf(first.request));

  peer.send(peer.answer(again, '200 OK'), udpPortOf(engine));
  expect((await waitFor(() => responses.find((r) => r.status >= 200))).status).toBe(200);
});

test('an INVITE answered 407 is re-sent with Proxy-Authorization and its body; the 2xx is ACKed', async () => {
  const first = await challenged('INVITE', '407 Proxy Authentication Required', {}, SDP);
  // The ACK for the 407 belongs to its transaction (RFC 3261 17.1.1.3).
  await peer.next(/^ACK /, peer.received.indexOf(first.request));
  const from = peer.received.length;
  const responses: EngineResponse[] = [];
  const retry = await engine.request(
    {
      method: 'INVITE',
      retryOf: first.sent.transactionId,
      headers: { 'Proxy-Authorization': 'Digest username="bob"' },
    },
    (response) => responses.push(response),
  );
  const again = await peer.next(/^INVITE /, from);
  expect(headerLines(again, 'CSeq')).toEqual(['2 INVITE']);
  expect(headerLines(again, 'Call-ID')).toEqual([first.sent.callId]);
  expect(headerLines(again, 'Proxy-Authorization')).toEqual(['Digest username="bob"']);
  expect(again.endsWith(SDP)).toBe(true);

  peer.send(peer.answer(again, '200 OK'), udpPortOf(engine));
  const ok = await waitFor(() => responses.find((r) => r.status === 200));
  expect(ok.transactionId).toBe(retry.transactionId);
  expect(headerLines(await peer.next(/^ACK /, from), 'CSeq')).toEqual(['2 ACK']);
  await engine.request({ method: 'BYE', dialogId: ok.dialogId }, () => undefined);
  const bye = await peer.next(/^BYE /, from);
  peer.send(peer.answer(bye, '200 OK'), udpPortOf(engine));
});

test('a challenged request is retried once; other cases are refused with the contract codes', async () => {
  const first = await challenged('OPTIONS', '401 Unauthorized');
  await expect(
    engine.request({ method: 'INFO', retryOf: first.sent.transactionId }, () => undefined),
  ).rejects.toMatchObject({ code: 'invalid-argument' });
  const from = peer.received.length;
  await engine.request({ method: 'OPTIONS', retryOf: first.sent.transactionId }, () => undefined);
  const again = await peer.next(/^OPTIONS /, from);
  peer.send(peer.answer(again, '200 OK'), udpPortOf(engine));
  // Its transaction still lingers (Timer K): known, but with nothing left to retry.
  await expect(
    engine.request({ method: 'OPTIONS', retryOf: first.sent.transactionId }, () => undefined),
  ).rejects.toMatchObject({ code: 'invalid-state' });
  await expect(
    engine.request({ method: 'OPTIONS', retryOf: 'no-such-transaction' }, () => undefined),
  ).rejects.toMatchObject({ code: 'unknown-transaction' });

  const answered = await challenged('OPTIONS', '200 OK');
  await expect(
    engine.request({ method: 'OPTIONS', retryOf: answered.sent.transactionId }, () => undefined),
  ).rejects.toMatchObject({ code: 'invalid-state' });
});

test("the challenged transaction's end is reported only once it can no longer be retried", async () => {
  const ended: string[] = [];
  const onEnd = (id: string) => ended.push(id);
  engine.on('transaction-end', onEnd);
  try {
    const first = await challenged('OPTIONS', '407 Proxy Authentication Required');
    // Timer K (T4 = 500 ms here) ends the transaction; the challenge is kept 64*T1 = 3.2 s.
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(ended).not.toContain(first.sent.transactionId);
    await waitFor(() => ended.includes(first.sent.transactionId), 5000);
    await expect(
      engine.request({ method: 'OPTIONS', retryOf: first.sent.transactionId }, () => undefined),
    ).rejects.toMatchObject({ code: 'unknown-transaction' });
  } finally {
    engine.off('transaction-end', onEnd);
  }
});
