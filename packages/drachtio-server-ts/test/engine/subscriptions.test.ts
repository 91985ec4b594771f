/**
 * Subscription dialogs (RFC 6665) with a raw UDP peer: a 2xx to SUBSCRIBE creates a dialog the
 * application can NOTIFY in; a NOTIFY that beats the 2xx creates it on our side; a NOTIFY with
 * Subscription-State: terminated ends it. Dialog notices stay about calls only.
 */
import type { Engine } from '../../src/engine';
import type { EngineResponse } from '../../src/engine-api';
import { startEngine, TestApp, udpPortOf, waitFor } from './helpers';
import { UdpPeer } from './udp-client';

let engine: Engine;
let app: TestApp;
let peer: UdpPeer;
let enginePort: number;

beforeEach(async () => {
  engine = await startEngine();
  app = new TestApp(engine);
  peer = await UdpPeer.open();
  enginePort = udpPortOf(engine);
});
afterEach(async () => {
  await peer.close();
  await engine.stop();
});

function request(method: string, cseq: number, headers: string[], toTag?: string): string {
  return [
    `${method} sip:engine@127.0.0.1:${enginePort} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:${peer.port};rport;branch=z9hG4bK${method}${cseq}${Date.now()}`,
    'Max-Forwards: 70',
    'From: <sip:watcher@127.0.0.1>;tag=watcher',
    `To: <sip:presentity@127.0.0.1>${toTag ? `;tag=${toTag}` : ''}`,
    'Call-ID: subscription@127.0.0.1',
    `CSeq: ${cseq} ${method}`,
    `Contact: <sip:watcher@127.0.0.1:${peer.port}>`,
    ...headers,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

test('as notifier: the 2xx to SUBSCRIBE creates a dialog the application NOTIFYs in, until terminated', async () => {
  app.answer = (r) => (r.method === 'SUBSCRIBE' ? undefined : { status: 200 });
  let from = peer.received.length;
  peer.send(request('SUBSCRIBE', 1, ['Event: presence', 'Expires: 600']), enginePort);
  const subscribe = await waitFor(() => app.requests.find((r) => r.method === 'SUBSCRIBE'));
  const answered = await engine.respond({
    transactionId: subscribe.transactionId,
    status: 202,
    headers: { Expires: '600' },
  });
  expect(answered.dialogId).toBeDefined();
  const accepted = await peer.next(/^SIP\/2.0 202 /, from);
  const toTag = /^To: .*;tag=([^;\r\n]+)/m.exec(accepted)?.[1];

  from = peer.received.length;
  const responses: EngineResponse[] = [];
  await engine.request(
    {
      method: 'NOTIFY',
      dialogId: answered.dialogId,
      headers: { Event: 'presence', 'Subscription-State': 'active;expires=600' },
    },
    (r) => responses.push(r),
  );
  const notify = await peer.next(/^NOTIFY /, from);
  expect(notify).toMatch(/^To: <sip:watcher@127.0.0.1>;tag=watcher\r$/m);
  expect(notify).toMatch(new RegExp(`^From: <sip:presentity@127.0.0.1>;tag=${toTag}\\r$`, 'm'));
  expect(notify).toMatch(new RegExp(`^NOTIFY sip:watcher@127.0.0.1:${peer.port} SIP/2.0\\r$`, 'm'));

  // The watcher refreshes inside the dialog; then the application ends the subscription.
  from = peer.received.length;
  peer.send(request('SUBSCRIBE', 2, ['Event: presence', 'Expires: 600'], toTag), enginePort);
  const refresh = await waitFor(() => app.requests.filter((r) => r.method === 'SUBSCRIBE')[1]);
  expect(refresh.dialogId).toBe(answered.dialogId);
  await engine.respond({ transactionId: refresh.transactionId, status: 200 });
  await engine.request(
    {
      method: 'NOTIFY',
      dialogId: answered.dialogId,
      headers: { Event: 'presence', 'Subscription-State': 'terminated;reason=noresource' },
    },
    () => undefined,
  );
  expect(engine.stats.dialogs).toBe(0);
  expect(app.dialogs).toEqual([]);
});

test('as subscriber: a NOTIFY that beats the 2xx creates the dialog; a terminating NOTIFY ends it', async () => {
  const responses: EngineResponse[] = [];
  let from = peer.received.length;
  await engine.request(
    {
      method: 'SUBSCRIBE',
      uri: `sip:presentity@127.0.0.1:${peer.port}`,
      headers: { Event: 'presence', Expires: '600' },
    },
    (r) => responses.push(r),
  );
  const subscribe = await peer.next(/^SUBSCRIBE /, from);
  const copy = (name: string) => new RegExp(`^${name}: (.*)\\r$`, 'm').exec(subscribe)?.[1] ?? '';
  const ourTag = /;tag=([^;\s]+)/.exec(copy('From'))?.[1] ?? '';
  const notify = (cseq: number, state: string) =>
    [
      `NOTIFY sip:drachtio@127.0.0.1:${enginePort} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${peer.port};branch=z9hG4bKnotify${cseq}`,
      'Max-Forwards: 70',
      `From: ${copy('To')};tag=notifier`,
      `To: ${copy('From')}`,
      `Call-ID: ${copy('Call-ID')}`,
      `CSeq: ${cseq} NOTIFY`,
      `Contact: <sip:presentity@127.0.0.1:${peer.port}>`,
      'Event: presence',
      `Subscription-State: ${state}`,
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');

  peer.send(notify(1, 'active;expires=600'), enginePort);
  const first = await waitFor(() => app.requests.find((r) => r.method === 'NOTIFY'));
  expect(first.dialogId).toBeDefined();
  expect(ourTag).not.toBe('');
  // The 2xx to the SUBSCRIBE lands in the same dialog.
  const okHead = subscribe
    .split('\r\n')
    .filter((l) => /^(Via|From|Call-ID|CSeq):/.test(l))
    .join('\r\n');
  peer.send(
    `SIP/2.0 202 Accepted\r\n${okHead}\r\nTo: ${copy('To')};tag=notifier\r\nExpires: 600\r\nContent-Length: 0\r\n\r\n`,
    enginePort,
  );
  const accepted = await waitFor(() => responses.find((r) => r.status === 202));
  expect(accepted.dialogId).toBe(first.dialogId);

  from = peer.received.length;
  peer.send(notify(2, 'terminated;reason=timeout'), enginePort);
  await waitFor(() => app.requests.filter((r) => r.method === 'NOTIFY').length === 2);
  expect(app.requests[1]?.dialogId).toBe(first.dialogId);
  expect(engine.stats.dialogs).toBe(0);
  // A NOTIFY in the ended subscription matches nothing.
  peer.send(notify(3, 'active'), enginePort);
  await peer.next(/^SIP\/2.0 481 [^]*CSeq: 3 NOTIFY/, from);
});
