/** The INVITE usage without sockets (RFC 3261 13-15, RFC 4028 7.4), through a fake transport. */
import { answer, fakeUserAgent, incoming, tick } from './fake-user-agent';

const localTagOf = (dialogId: string | undefined) => /local-tag=([^;]+)/.exec(dialogId ?? '')?.[1];

describe('as UAS', () => {
  test('no 100 Trying when the application answers at once; our 2xx is retransmitted until the ACK, which reaches the application', async () => {
    const { ua, transport, requests, dialogs, receive } = fakeUserAgent();
    receive(incoming('INVITE', [], { branch: 'z9hG4bKinv1' }));
    const [invite] = requests;
    const { dialogId } = await ua.server.respond({
      transactionId: invite?.transactionId ?? '',
      status: 200,
    });
    await tick(70); // T1 = 20 ms: 20, 60
    expect(transport.matching(/^SIP\/2.0 200/).length).toBeGreaterThanOrEqual(2);
    receive(incoming('ACK', [], { branch: 'z9hG4bKack1', toTag: localTagOf(dialogId) }));
    const sent = transport.sent.length;
    await tick(100);
    expect(transport.sent.length).toBe(sent);
    expect(requests.map((r) => [r.method, r.inviteTransactionId])).toEqual([
      ['INVITE', undefined],
      ['ACK', invite?.transactionId],
    ]);
    expect(dialogs.map((d) => d.event)).toEqual(['early', 'confirmed']);
    expect(transport.matching(/^SIP\/2.0 100/)).toHaveLength(0);
  });

  test('100 Trying once the application has been silent for T1 / 5 (RFC 3261 17.2.1), then its answer', async () => {
    const { ua, transport, requests, receive } = fakeUserAgent();
    receive(incoming('INVITE', [], { branch: 'z9hG4bKinv9' }));
    receive(incoming('INVITE', [], { branch: 'z9hG4bKinv8', callId: 'second' }));
    expect(transport.matching(/^SIP\/2.0 100/)).toHaveLength(0);
    await tick(10); // T1 = 20 ms: the 100s are due after 4 ms
    expect(transport.matching(/^SIP\/2.0 100/)).toHaveLength(2);
    await ua.server.respond({ transactionId: requests[0]?.transactionId ?? '', status: 486 });
    expect(transport.matching(/^SIP\/2.0 (100|486)/).map((t) => t.slice(8, 11))).toEqual([
      '100',
      '100',
      '486',
    ]);
  });

  test('CANCEL: 200 to it, 487 to the INVITE, the early dialog ends as canceled', async () => {
    const { ua, transport, requests, cancels, dialogs, receive } = fakeUserAgent();
    receive(incoming('INVITE', [], { branch: 'z9hG4bKinv2' }));
    await ua.server.respond({ transactionId: requests[0]?.transactionId ?? '', status: 180 });
    receive(incoming('CANCEL', [], { branch: 'z9hG4bKinv2' }));
    expect(transport.matching(/^SIP\/2.0 (200|487)/).map((t) => t.slice(8, 11))).toEqual([
      '200',
      '487',
    ]);
    expect(cancels).toHaveLength(1);
    expect(dialogs.map((d) => d.event)).toEqual(['early', 'terminated']);
  });

  test('a re-INVITE while ours is in progress gets 491 (glare, RFC 3261 14.2)', async () => {
    const { ua, transport, requests, receive } = fakeUserAgent();
    receive(incoming('INVITE', [], { branch: 'z9hG4bKinv3' }));
    const { dialogId } = await ua.server.respond({
      transactionId: requests[0]?.transactionId ?? '',
      status: 200,
    });
    receive(incoming('ACK', [], { branch: 'z9hG4bKack3', toTag: localTagOf(dialogId) }));
    await ua.client.request({ method: 'INVITE', dialogId, body: 'v=0\r\n' }, () => undefined);
    receive(incoming('INVITE', [], { branch: 'z9hG4bKre3', cseq: 2, toTag: localTagOf(dialogId) }));
    expect(transport.matching(/^SIP\/2.0 491/)).toHaveLength(1);
  });
});

describe('as UAC', () => {
  test('a provisional with a To tag makes an early dialog; the 2xx confirms it and the engine ACKs (the INVITE had a body)', async () => {
    const { ua, transport, dialogs, receive } = fakeUserAgent();
    const statuses: number[] = [];
    const sent = await ua.client.request(
      { method: 'INVITE', uri: 'sip:peer@127.0.0.1:5099', body: 'v=0\r\n' },
      (response) => statuses.push(response.status),
    );
    receive(answer(sent.raw, '180 Ringing'));
    receive(answer(sent.raw, '200 OK'));
    expect(statuses).toEqual([180, 200]);
    expect(dialogs.map((d) => [d.event, d.role])).toEqual([
      ['early', 'uac'],
      ['confirmed', 'uac'],
    ]);
    await tick(0); // the ACK goes to the dialog's resolved next hop
    expect(transport.matching(/^ACK /)).toHaveLength(1);
    // A retransmitted 2xx gets the same ACK again.
    receive(answer(sent.raw, '200 OK'));
    await tick(0);
    expect(transport.matching(/^ACK /)).toHaveLength(2);
  });

  test('a response whose To tag would make a dialog id too long for the wire is dropped, never half-delivered', async () => {
    const { ua, dialogs, receive } = fakeUserAgent();
    const statuses: number[] = [];
    const sent = await ua.client.request(
      { method: 'INVITE', uri: 'sip:peer@127.0.0.1:5099', body: 'v=0\r\n' },
      (response) => statuses.push(response.status),
    );
    receive(answer(sent.raw, '200 OK').replace(';tag=peer', `;tag=${'x'.repeat(300)}`));
    expect(statuses).toEqual([]);
    expect(dialogs).toEqual([]);
    receive(answer(sent.raw, '200 OK'));
    expect(statuses).toEqual([200]);
  });

  test('appOwnsAck: a 2xx to an INVITE with a body is not ACKed until the application ACKs, with its headers', async () => {
    const { ua, transport, receive } = fakeUserAgent();
    const sent = await ua.client.request(
      { method: 'INVITE', uri: 'sip:peer@127.0.0.1:5099', body: 'v=0\r\n' },
      () => undefined,
      { appOwnsAck: true },
    );
    receive(answer(sent.raw, '200 OK'));
    await tick(0);
    expect(transport.matching(/^ACK /)).toHaveLength(0);
    // A retransmitted 2xx before the application's ACK: still nothing of the engine's own.
    receive(answer(sent.raw, '200 OK'));
    await tick(0);
    expect(transport.matching(/^ACK /)).toHaveLength(0);
    await ua.client.ack({ transactionId: sent.transactionId, headers: { 'X-App': 'mine' } });
    await tick(0);
    const acks = transport.matching(/^ACK /);
    expect(acks).toHaveLength(1);
    expect(acks[0]).toMatch(/^X-App: mine$/m);
    expect(acks[0]).toMatch(/^CSeq: 1 ACK$/m);
    // From now on a retransmitted 2xx gets the application's ACK again.
    receive(answer(sent.raw, '200 OK'));
    await tick(0);
    expect(transport.matching(/^ACK /)).toEqual([acks[0], acks[0]]);
  });

  test('a 422 is retried once with its Min-SE under the same transaction id (RFC 4028 7.4)', async () => {
    const { ua, transport, receive } = fakeUserAgent();
    const statuses: number[] = [];
    const sent = await ua.client.request(
      {
        method: 'INVITE',
        uri: 'sip:peer@127.0.0.1:5099',
        headers: { 'Session-Expires': 60 },
        body: 'v=0\r\n',
      },
      (response) => statuses.push(response.status),
    );
    receive(answer(sent.raw, '422 Session Interval Too Small', ['Min-SE: 120']));
    const retried = transport.matching(/^INVITE /)[1] ?? '';
    expect(retried).toMatch(/^CSeq: 2 INVITE$/m);
    expect(retried).toMatch(/^Session-Expires: 120$/m);
    receive(answer(retried, '200 OK'));
    expect(statuses).toEqual([200]);
  });

  test('CANCEL before any provisional waits for one (RFC 3261 9.1)', async () => {
    const { ua, transport, receive } = fakeUserAgent();
    const sent = await ua.client.request(
      { method: 'INVITE', uri: 'sip:peer@127.0.0.1:5099' },
      () => undefined,
    );
    await ua.client.cancel({ transactionId: sent.transactionId });
    expect(transport.matching(/^CANCEL /)).toHaveLength(0);
    receive(answer(sent.raw, '100 Trying'));
    expect(transport.matching(/^CANCEL /)).toHaveLength(1);
  });
});
