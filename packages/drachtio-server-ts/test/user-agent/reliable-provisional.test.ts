/** The reliable-provisional usage (RFC 3262) without sockets. */
import { answer, fakeUserAgent, incoming, tick } from './fake-user-agent';

const localTagOf = (dialogId: string | undefined) => /local-tag=([^;]+)/.exec(dialogId ?? '')?.[1];

test('UAS: a 183 with Require: 100rel gets an RSeq and is retransmitted until its PRACK, which the engine answers', async () => {
  const { ua, transport, requests, receive } = fakeUserAgent();
  receive(incoming('INVITE', ['Supported: 100rel'], { branch: 'z9hG4bKrel1' }));
  const { dialogId } = await ua.server.respond({
    transactionId: requests[0]?.transactionId ?? '',
    status: 183,
    headers: { Require: '100rel' },
  });
  await tick(30);
  const provisionals = transport.matching(/^SIP\/2.0 183/);
  expect(provisionals.length).toBeGreaterThanOrEqual(2);
  const rseq = Number(/^RSeq: (\d+)$/m.exec(provisionals[0] ?? '')?.[1]);
  receive(incoming('PRACK', [`RAck: ${rseq} 1 INVITE`], { cseq: 2, toTag: localTagOf(dialogId) }));
  expect(transport.matching(/^SIP\/2.0 200/)).toHaveLength(1);
  expect(requests[1]).toMatchObject({
    method: 'PRACK',
    answered: true,
    inviteTransactionId: requests[0]?.transactionId,
  });
  const after = transport.matching(/^SIP\/2.0 183/).length;
  await tick(100);
  expect(transport.matching(/^SIP\/2.0 183/)).toHaveLength(after); // no more retransmissions
});

test('UAS: a PRACK for no provisional of ours gets 481 and never reaches the application', async () => {
  const { ua, transport, requests, receive } = fakeUserAgent();
  receive(incoming('INVITE', [], { branch: 'z9hG4bKrel2' }));
  const { dialogId } = await ua.server.respond({
    transactionId: requests[0]?.transactionId ?? '',
    status: 180,
  });
  receive(incoming('PRACK', ['RAck: 9 1 INVITE'], { cseq: 2, toTag: localTagOf(dialogId) }));
  expect(transport.matching(/^SIP\/2.0 481/)).toHaveLength(1);
  expect(requests.map((r) => r.method)).toEqual(['INVITE']);
});

test('UAC: a reliable provisional is PRACKed once; its retransmission is dropped', async () => {
  const { ua, transport, receive } = fakeUserAgent();
  const statuses: number[] = [];
  const sent = await ua.client.request(
    { method: 'INVITE', uri: 'sip:peer@127.0.0.1:5099', headers: { Supported: '100rel' } },
    (response) => statuses.push(response.status),
  );
  const reliable = answer(sent.raw, '183 Session Progress', ['Require: 100rel', 'RSeq: 7']);
  receive(reliable);
  receive(reliable);
  await tick(0);
  const pracks = transport.matching(/^PRACK /);
  expect(pracks).toHaveLength(1);
  expect(pracks[0]).toMatch(/^RAck: 7 1 INVITE$/m);
  expect(statuses).toEqual([183]);
});

/** An INVITE sent with appOwnsPrack, answered by a reliable 183 (RSeq 7): its early dialog. */
async function reliable183ToAppOwnedInvite() {
  const agent = fakeUserAgent();
  const dialogIds: Array<string | undefined> = [];
  const sent = await agent.ua.client.request(
    { method: 'INVITE', uri: 'sip:peer@127.0.0.1:5099', headers: { Supported: '100rel' } },
    (response) => dialogIds.push(response.dialogId),
    { appOwnsPrack: true },
  );
  agent.receive(answer(sent.raw, '183 Session Progress', ['Require: 100rel', 'RSeq: 7']));
  return { ...agent, dialogId: dialogIds[0] ?? '' };
}

test('UAC, appOwnsPrack: no PRACK of the engine; the application PRACKs with its RAck in the early dialog', async () => {
  const { ua, transport, dialogId } = await reliable183ToAppOwnedInvite();
  await tick(0);
  expect(transport.matching(/^PRACK /)).toHaveLength(0);
  await ua.client.request(
    { method: 'PRACK', dialogId, headers: { RAck: '7 1 INVITE', 'X-App': 'prack' } },
    () => undefined,
    { appOwnsPrack: true },
  );
  const pracks = transport.matching(/^PRACK /);
  expect(pracks).toHaveLength(1);
  expect(pracks[0]).toMatch(/^RAck: 7 1 INVITE$/m);
  expect(pracks[0]).toMatch(/^X-App: prack$/m);
  expect(pracks[0]).toMatch(/^CSeq: 2 PRACK$/m);
});

test('UAC, appOwnsPrack: a PRACK without RAck, with a malformed one or for an RSeq never received is refused', async () => {
  const { ua, transport, dialogId } = await reliable183ToAppOwnedInvite();
  const prack = (headers: Record<string, string>) =>
    ua.client.request({ method: 'PRACK', dialogId, headers }, () => undefined, {
      appOwnsPrack: true,
    });
  await expect(prack({})).rejects.toMatchObject({
    code: 'invalid-argument',
    message: 'a PRACK needs a RAck header',
  });
  await expect(prack({ RAck: 'seven' })).rejects.toMatchObject({ code: 'invalid-argument' });
  await expect(prack({ RAck: '8 1 INVITE' })).rejects.toMatchObject({ code: 'invalid-state' });
  expect(transport.matching(/^PRACK /)).toHaveLength(0);
});
