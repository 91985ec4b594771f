/** The subscription usage (RFC 6665) without sockets. */
import { answer, fakeUserAgent, incoming, tick } from './fake-user-agent';

test('a NOTIFY that beats the 2xx to our SUBSCRIBE creates the dialog; the 2xx then finds it', async () => {
  const { ua, core, requests, receive } = fakeUserAgent();
  const responses: Array<{ status: number; dialogId?: string }> = [];
  const sent = await ua.client.request(
    {
      method: 'SUBSCRIBE',
      uri: 'sip:peer@127.0.0.1:5099',
      headers: { Event: 'presence', Expires: 60 },
    },
    (response) => responses.push(response),
  );
  const fromTag = /^From: .*;tag=([^;\s]+)/m.exec(sent.raw)?.[1];
  receive(
    incoming('NOTIFY', ['Event: presence', 'Subscription-State: active;expires=60'], {
      callId: sent.callId,
      toTag: fromTag,
    }).replace(
      'From: <sip:peer@127.0.0.1:5099>;tag=from-peer',
      'From: <sip:peer@127.0.0.1:5099>;tag=peer',
    ),
  );
  expect(requests[0]?.dialogId).toBeDefined();
  receive(answer(sent.raw, '202 Accepted', ['Expires: 60']));
  expect(responses[0]?.dialogId).toBe(requests[0]?.dialogId);
  expect(core.dialogs.get(requests[0]?.dialogId ?? '')?.usage).toBe('subscription');
});

test('a subscription nobody refreshes ends, without dialog notices', async () => {
  const { ua, core, dialogs, requests, receive } = fakeUserAgent();
  receive(incoming('SUBSCRIBE', ['Event: presence', 'Expires: 0']));
  const { dialogId } = await ua.server.respond({
    transactionId: requests[0]?.transactionId ?? '',
    status: 200,
  });
  expect(core.dialogs.get(dialogId ?? '')).toBeDefined();
  await tick(64 * 20 + 50); // Expires 0 plus 64*T1 for the final NOTIFY
  expect(core.dialogs.get(dialogId ?? '')).toBeUndefined();
  expect(dialogs).toEqual([]);
});
