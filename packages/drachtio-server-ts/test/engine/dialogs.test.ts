/**
 * Dialog state checked byte for byte with a raw UDP peer: route set and remote target
 * (RFC 3261 12.1.1, 12.2.1.1), CSeq ordering (12.2.2), re-INVITE with its own ACK.
 */
import type { Engine } from '../../src/engine';
import type { EngineResponse } from '../../src/engine-api';
import { SDP, startEngine, TestApp, udpPortOf, waitFor } from './helpers';
import { UdpPeer } from './udp-client';

let engine: Engine;
let app: TestApp;
let peer: UdpPeer;
let enginePort: number;

beforeAll(async () => {
  engine = await startEngine();
  app = new TestApp(engine);
  peer = await UdpPeer.open();
  enginePort = udpPortOf(engine);
});
afterAll(async () => {
  await peer.close();
  await engine.stop();
});

function lines(
  method: string,
  cseq: number,
  extra: string[],
  toTag?: string,
  branch = `z9hG4bK${method}${cseq}${Date.now()}`,
): string {
  return [
    `${method} sip:engine@127.0.0.1:${enginePort} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${peer.port};rport;branch=${branch}`,
    'Max-Forwards: 70',
    `From: <sip:peer@127.0.0.1>;tag=peer-tag`,
    `To: <sip:engine@127.0.0.1>${toTag ? `;tag=${toTag}` : ''}`,
    'Call-ID: dialog-test@127.0.0.1',
    `CSeq: ${cseq} ${method}`,
    ...extra,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

test('route set, remote target, CSeq order and a re-INVITE inside one UAS dialog', async () => {
  const route = `<sip:127.0.0.1:${peer.port};lr>`;
  let from = peer.received.length;
  peer.send(
    lines('INVITE', 1, [`Record-Route: ${route}`, 'Contact: <sip:peer@127.0.0.1:9;transport=udp>']),
    enginePort,
  );
  const ok = await peer.next(/^SIP\/2.0 200 /, from);
  expect(ok).toContain(`Record-Route: ${route}`);
  const toTag = /^To: .*;tag=([^;\r\n]+)/m.exec(ok)?.[1] ?? '';
  peer.send(lines('ACK', 1, [], toTag), enginePort);
  await waitFor(() => app.methods().includes('ACK'));
  const dialogId = app.requests[0]?.dialogId ?? app.requests[1]?.dialogId;
  expect(dialogId).toBeDefined();

  // An in-dialog request with an old CSeq is out of order: 500, and the application never sees it.
  from = peer.received.length;
  peer.send(lines('INFO', 1, [], toTag), enginePort);
  expect(await peer.next(/^SIP\/2.0 500 /, from)).toMatch(/CSeq: 1 INFO/);

  // A re-INVITE: the application answers, the engine retransmits until the ACK, the ACK is reported.
  from = peer.received.length;
  peer.send(
    lines('INVITE', 2, ['Contact: <sip:peer@127.0.0.1:9;transport=udp>'], toTag),
    enginePort,
  );
  await peer.next(/^SIP\/2.0 200 [^]*CSeq: 2 INVITE/, from);
  peer.send(lines('ACK', 2, [], toTag), enginePort);
  await waitFor(() => app.methods().filter((m) => m === 'ACK').length === 2);
  expect(app.requests.filter((r) => r.method === 'INVITE').map((r) => r.dialogId)).toEqual([
    undefined,
    dialogId,
  ]);

  // The application hangs up: the BYE goes to the first route, with the route set, to the remote target.
  from = peer.received.length;
  const responses: EngineResponse[] = [];
  await engine.request({ method: 'BYE', dialogId }, (r) => responses.push(r));
  const bye = await peer.next(/^BYE /, from);
  expect(bye).toMatch(/^BYE sip:peer@127.0.0.1:9;transport=udp SIP\/2.0\r$/m);
  expect(bye).toContain(`Route: ${route}`);
  expect(bye).toMatch(new RegExp(`^To: <sip:peer@127.0.0.1>;tag=peer-tag\\r$`, 'm'));
  expect(bye).toMatch(new RegExp(`^From: <sip:engine@127.0.0.1>;tag=${toTag}\\r$`, 'm'));
  expect(app.dialogs.at(-1)).toMatchObject({
    event: 'terminated',
    reason: 'normal near end release',
  });
});

test('an answer to an INVITE carries SDP, Contact and a To tag; the application cannot set the tag', async () => {
  app.answer = (request) =>
    request.method === 'INVITE'
      ? { status: 200, body: SDP, headers: { To: '<sip:x@y>;tag=mine' } }
      : undefined;
  const from = peer.received.length;
  peer.send(
    lines('INVITE', 1, ['Contact: <sip:peer@127.0.0.1:9>'], undefined).replace(
      'dialog-test',
      'dialog-test-2',
    ),
    enginePort,
  );
  const ok = await peer.next(/^SIP\/2.0 200 /, from);
  expect(ok).not.toContain('tag=mine');
  expect(ok).toMatch(/^Contact: <sip:127.0.0.1:\d+>\r$/m);
  expect(ok).toMatch(/^Content-Type: application\/sdp\r$/m);
  expect(ok).toContain('m=audio 9 RTP/AVP 0');
});

test('a reliable provisional never PRACKed: retransmitted, then the INVITE is rejected with a 5xx (RFC 3262 3)', async () => {
  app.reset((request) =>
    request.method === 'INVITE'
      ? { status: 183, headers: { Require: '100rel' }, body: SDP }
      : undefined,
  );
  const from = peer.received.length;
  const invite = lines('INVITE', 1, [
    'Supported: 100rel',
    'Contact: <sip:peer@127.0.0.1:9>',
  ]).replace('dialog-test', 'dialog-test-3');
  peer.send(invite, enginePort);
  const rejection = await peer.next(/^SIP\/2.0 500 /, from, 8000);
  expect(rejection).toMatch(/CSeq: 1 INVITE/);
  const copies = peer.received.slice(from).filter((m) => m.startsWith('SIP/2.0 183 '));
  expect(copies.length).toBeGreaterThan(1);
  expect(new Set(copies.map((m) => /^RSeq: (\d+)/m.exec(m)?.[1])).size).toBe(1);
  const notices = app.dialogs.filter((d) => d.callId === 'dialog-test-3@127.0.0.1');
  expect(notices.map((d) => [d.event, d.reason])).toEqual([
    ['early', undefined],
    ['terminated', 'call rejected'],
  ]);
});

test('re-INVITE glare (RFC 3261 14): 500 with Retry-After for a second one, 491 against ours', async () => {
  app.reset((request) =>
    request.method === 'INVITE' && !request.dialogId ? { status: 200, body: SDP } : undefined,
  );
  const callId = 'dialog-test-4';
  const send = (text: string) => peer.send(text.replace('dialog-test', callId), enginePort);
  let from = peer.received.length;
  send(lines('INVITE', 1, ['Contact: <sip:peer@127.0.0.1:' + peer.port + '>']));
  const ok = await peer.next(/^SIP\/2.0 200 /, from);
  const toTag = /^To: .*;tag=([^;\r\n]+)/m.exec(ok)?.[1] ?? '';
  send(lines('ACK', 1, [], toTag));
  await waitFor(() => app.methods().includes('ACK'));
  const dialogId = app.requests.find((r) => r.method === 'ACK')?.dialogId ?? '';

  // Their re-INVITE is pending with the application; a second one gets 500 with Retry-After.
  send(lines('INVITE', 2, [], toTag));
  const first = await waitFor(() => app.requests.find((r) => r.method === 'INVITE' && r.dialogId));
  from = peer.received.length;
  send(lines('INVITE', 3, [], toTag));
  expect(await peer.next(/^SIP\/2.0 500 [^]*CSeq: 3 INVITE/, from)).toMatch(
    /^Retry-After: \d+\r$/m,
  );
  // While theirs is pending, ours is refused locally.
  await expect(
    engine.request({ method: 'INVITE', dialogId, body: SDP }, () => undefined),
  ).rejects.toMatchObject({
    code: 'invalid-state',
  });
  await engine.respond({ transactionId: first.transactionId, status: 200, body: SDP });
  send(lines('ACK', 2, [], toTag));

  // Ours is pending: theirs gets 491.
  await engine.request({ method: 'INVITE', dialogId, body: SDP }, () => undefined);
  from = peer.received.length;
  send(lines('INVITE', 4, [], toTag));
  await peer.next(/^SIP\/2.0 491 [^]*CSeq: 4 INVITE/, from);
});
