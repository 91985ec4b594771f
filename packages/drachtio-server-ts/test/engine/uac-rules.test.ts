/** UAC rules checked byte for byte against a raw UDP far end. */
import type { Engine } from '../../src/engine';
import type { EngineResponse } from '../../src/engine-api';
import { SDP, startEngine, udpPortOf, waitFor } from './helpers';
import { engineWithPeer, type UdpPeer } from './udp-client';

let engine: Engine;
let peer: UdpPeer;
engineWithPeer((started, far) => ((engine = started), (peer = far)));

test('a retransmitted 2xx is ACKed again', async () => {
  const responses: EngineResponse[] = [];
  const from = peer.received.length;
  await engine.request(
    { method: 'INVITE', uri: `sip:peer@127.0.0.1:${peer.port}`, body: SDP },
    (r) => responses.push(r),
  );
  const invite = await peer.next(/^INVITE /, from);
  const ok = peer.answer(invite, '200 OK');
  peer.send(ok, udpPortOf(engine));
  await peer.next(/^ACK /, from);
  peer.send(ok, udpPortOf(engine));
  await waitFor(() => peer.received.slice(from).filter((m) => m.startsWith('ACK ')).length === 2);
  expect(responses.filter((r) => r.status === 200)).toHaveLength(1);
  const [firstAck, secondAck] = peer.received.slice(from).filter((m) => m.startsWith('ACK '));
  expect(secondAck).toBe(firstAck);
  expect(firstAck).not.toMatch(new RegExp(/branch=([^;\r\n]+)/.exec(invite)?.[1] ?? 'none'));
});

test('CANCEL waits for a provisional response before it is sent (RFC 3261 9.1)', async () => {
  const responses: EngineResponse[] = [];
  const from = peer.received.length;
  const sent = await engine.request(
    { method: 'INVITE', uri: `sip:peer@127.0.0.1:${peer.port}`, body: SDP },
    (r) => responses.push(r),
  );
  const invite = await peer.next(/^INVITE /, from);
  await engine.cancel({ transactionId: sent.transactionId });
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(peer.received.slice(from).some((m) => m.startsWith('CANCEL '))).toBe(false);
  peer.send(peer.answer(invite, '180 Ringing'), udpPortOf(engine));
  const cancel = await peer.next(/^CANCEL /, from);
  expect(/branch=([^;\r\n]+)/.exec(cancel)?.[1]).toBe(/branch=([^;\r\n]+)/.exec(invite)?.[1]);
  peer.send(peer.answer(cancel, '200 OK'), udpPortOf(engine));
  peer.send(peer.answer(invite, '487 Request Terminated'), udpPortOf(engine));
  const ack = await peer.next(/^ACK /, from);
  expect(/branch=([^;\r\n]+)/.exec(ack)?.[1]).toBe(/branch=([^;\r\n]+)/.exec(invite)?.[1]);
  expect((await waitFor(() => responses.find((r) => r.status >= 200))).status).toBe(487);
});

test('a request without a magic-cookie branch is matched the RFC 2543 way', async () => {
  const received: string[] = [];
  const listener = (request: { method: string }) => received.push(request.method);
  engine.on('request', listener);
  try {
    const text = [
      'OPTIONS sip:engine@127.0.0.1 SIP/2.0',
      `Via: SIP/2.0/UDP 127.0.0.1:${peer.port};branch=old2543`,
      'From: <sip:old@127.0.0.1>;tag=2543',
      'To: <sip:engine@127.0.0.1>',
      `Call-ID: rfc2543-${Date.now()}`,
      'CSeq: 7 OPTIONS',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    peer.send(text, udpPortOf(engine));
    peer.send(text, udpPortOf(engine));
    await waitFor(() => received.length > 0);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(received).toEqual(['OPTIONS']);
  } finally {
    engine.off('request', listener);
  }
});

test('Timer C: a call that rings too long is canceled, the application gets a 408, the 487 is still ACKed', async () => {
  const impatient = await startEngine({ timerC: 300 });
  try {
    const port = udpPortOf(impatient);
    const responses: EngineResponse[] = [];
    const from = peer.received.length;
    await impatient.request(
      { method: 'INVITE', uri: `sip:peer@127.0.0.1:${peer.port}`, body: SDP },
      (r) => responses.push(r),
    );
    const invite = await peer.next(/^INVITE /, from);
    peer.send(peer.answer(invite, '180 Ringing'), port);
    const cancel = await peer.next(/^CANCEL /, from);
    expect((await waitFor(() => responses.find((r) => r.status >= 200))).status).toBe(408);
    peer.send(peer.answer(cancel, '200 OK'), port);
    peer.send(peer.answer(invite, '487 Request Terminated'), port);
    await peer.next(/^ACK /, from);
    expect(responses.filter((r) => r.status >= 200).map((r) => r.status)).toEqual([408]);
  } finally {
    await impatient.stop();
  }
});

test('forking: a second 2xx from another branch is ACKed and hung up; the application sees one answer', async () => {
  const responses: EngineResponse[] = [];
  const from = peer.received.length;
  await engine.request({ method: 'INVITE', uri: `sip:peer@127.0.0.1:${peer.port}` }, (r) =>
    responses.push(r),
  );
  const invite = await peer.next(/^INVITE /, from);
  peer.send(peer.answer(invite, '200 OK'), udpPortOf(engine));
  await waitFor(() => responses.find((r) => r.status === 200));
  peer.send(peer.answer(invite, '200 OK').replace(';tag=peer', ';tag=fork2'), udpPortOf(engine));
  const bye = await peer.next(/^BYE [^]*tag=fork2/, from);
  const ackToFork = peer.received
    .slice(from)
    .find((m) => m.startsWith('ACK ') && m.includes('tag=fork2'));
  expect(ackToFork).toBeDefined();
  expect(bye).toMatch(/^To: .*;tag=fork2\r$/m);
  expect(responses.filter((r) => r.status === 200)).toHaveLength(1);
});
