/** The proxy core through the UA without sockets: branches, what goes upstream, CANCEL, ACK. */
import type { ProxyNotice } from 'drachtio-protocol';
import { answer, fakeUserAgent, incoming, tick } from './fake-user-agent';

function proxied(forking: 'sequential' | 'simultaneous', extra: Record<string, unknown> = {}) {
  const ua = fakeUserAgent();
  ua.receive(incoming('INVITE', ['Record-Route: <sip:upstream;lr>'], { branch: 'z9hG4bKcaller' }));
  const outcomes: ProxyNotice[] = [];
  ua.ua.proxy.proxy(
    {
      transactionId: ua.requests[0]?.transactionId ?? '',
      destinations: ['sip:a@127.0.0.1:5071', 'sip:b@127.0.0.1:5072'],
      forking,
      recordRoute: true,
      ...extra,
    },
    (notice) => outcomes.push(notice),
  );
  const invites = () => ua.transport.matching(/^INVITE /);
  const upstream = (status: number) => ua.transport.matching(new RegExp(`^SIP/2.0 ${status}`));
  return { ...ua, outcomes, invites, upstream };
}

describe('proxying an INVITE', () => {
  test('simultaneous: both branches; a 486 is ACKed, the 200 goes up, the ringing branch is CANCELed', async () => {
    const { invites, receive, transport, upstream, outcomes } = proxied('simultaneous');
    await tick(10);
    const [a, b] = invites();
    expect(a).toMatch(
      /^INVITE sip:a@127.0.0.1:5071 SIP\/2.0\r\nVia: SIP\/2.0\/UDP 127.0.0.1:5060;rport;branch=z9hG4bKdpx/,
    );
    expect(a).toContain('Via: SIP/2.0/UDP 127.0.0.1:5099;rport;branch=z9hG4bKcaller');
    expect(a).toContain('Max-Forwards: 69');
    expect(a).toMatch(
      /Record-Route: <sip:127.0.0.1:5060;transport=udp;lr;dpx>\r\nRecord-Route: <sip:upstream;lr>/,
    );
    receive(answer(b ?? '', '180 Ringing'));
    expect(upstream(180)).toHaveLength(1);
    expect(upstream(180)[0]).not.toContain('branch=z9hG4bKdpx');
    receive(answer(a ?? '', '486 Busy Here'));
    expect(transport.matching(/^ACK sip:a@/)).toHaveLength(1);
    expect(upstream(486)).toHaveLength(0);
    receive(answer(b ?? '', '200 OK'));
    expect(upstream(200)).toHaveLength(1);
    expect(outcomes).toEqual([expect.objectContaining({ finalStatus: 200, winner: 1 })]);
    expect(outcomes[0]?.branches.map((x) => x.status)).toEqual([486, 200]);
  });

  test('simultaneous: a 2xx cancels the other ringing branch, and every 2xx goes up', async () => {
    const { invites, receive, transport, upstream } = proxied('simultaneous');
    await tick(10);
    const [a, b] = invites();
    receive(answer(a ?? '', '180 Ringing'));
    receive(answer(b ?? '', '200 OK'));
    expect(transport.matching(/^CANCEL sip:a@/)).toHaveLength(1);
    receive(answer(a ?? '', '200 OK'));
    expect(upstream(200)).toHaveLength(2);
  });

  test('both fail: the best response goes up once; 6xx ends the search', async () => {
    const { invites, receive, upstream, outcomes } = proxied('simultaneous');
    await tick(10);
    const [a, b] = invites();
    receive(answer(a ?? '', '486 Busy Here'));
    receive(answer(b ?? '', '404 Not Found'));
    // Same class: the first received (16.7 step 6 lets the proxy pick any).
    expect(upstream(486)).toHaveLength(1);
    expect(upstream(404)).toHaveLength(0);
    expect(outcomes[0]?.finalStatus).toBe(486);
    expect(outcomes[0]?.winner).toBe(0);

    const six = proxied('simultaneous');
    await tick(10);
    const [c, d] = six.invites();
    six.receive(answer(d ?? '', '180 Ringing'));
    six.receive(answer(c ?? '', '603 Decline'));
    expect(six.transport.matching(/^CANCEL sip:b@/)).toHaveLength(1);
    expect(six.upstream(603)).toHaveLength(1);
  });

  test('sequential: the next destination only after the first fails', async () => {
    const { invites, receive, upstream } = proxied('sequential');
    await tick(10);
    expect(invites()).toHaveLength(1);
    receive(answer(invites()[0] ?? '', '480 Temporarily Unavailable'));
    await tick(10);
    expect(invites()).toHaveLength(2);
    receive(answer(invites()[1] ?? '', '200 OK'));
    expect(upstream(200)).toHaveLength(1);
    expect(upstream(480)).toHaveLength(0);
  });

  test('the caller CANCELs: 200 to it, CANCEL to every ringing branch, their 487 goes up', async () => {
    const { invites, receive, transport, upstream, cancels } = proxied('simultaneous');
    await tick(10);
    const [a, b] = invites();
    receive(answer(a ?? '', '180 Ringing'));
    receive(answer(b ?? '', '183 Session Progress'));
    receive(incoming('CANCEL', [], { branch: 'z9hG4bKcaller' }));
    expect(upstream(200)).toHaveLength(1);
    expect(transport.matching(/^CANCEL /)).toHaveLength(2);
    expect(cancels).toHaveLength(0);
    receive(answer(a ?? '', '487 Request Terminated'));
    receive(answer(b ?? '', '487 Request Terminated'));
    expect(upstream(487)).toHaveLength(1);
  });

  test('the final timeout gives up on a ringing branch: 408 up, CANCEL down', async () => {
    const { invites, receive, transport, upstream, outcomes } = proxied('simultaneous', {
      finalTimeout: 30,
    });
    await tick(10);
    for (const invite of invites()) receive(answer(invite, '180 Ringing'));
    await tick(50);
    const canceled = transport
      .matching(/^CANCEL /)
      .map((text) => text.slice(0, text.indexOf(' SIP')));
    expect(new Set(canceled)).toEqual(
      new Set(['CANCEL sip:a@127.0.0.1:5071', 'CANCEL sip:b@127.0.0.1:5072']),
    );
    // Retransmitted over UDP until the caller's ACK: one response, maybe sent more than once.
    expect(new Set(upstream(408)).size).toBe(1);
    expect(outcomes[0]?.branches.map((x) => x.received)).toEqual([false, false]);
  });

  test('3xx followed: its Contact becomes the next branch', async () => {
    const { invites, receive, upstream } = proxied('sequential', {
      followRedirects: true,
      destinations: ['sip:a@127.0.0.1:5071'],
    });
    await tick(10);
    receive(answer(invites()[0] ?? '', '302 Moved', ['Contact: <sip:c@127.0.0.1:5073>']));
    await tick(10);
    // Two Contacts (the helper's own comes first, q=1 both): one after the other.
    expect(invites()[1]).toMatch(/^INVITE sip:peer@127.0.0.1:5099 /);
    receive(answer(invites()[1] ?? '', '480 Temporarily Unavailable'));
    await tick(10);
    expect(invites()[2]).toMatch(/^INVITE sip:c@127.0.0.1:5073 /);
    receive(answer(invites()[2] ?? '', '486 Busy Here'));
    // The 302 that was followed is no candidate; of the two 4xx the first received goes up.
    expect(upstream(480)).toHaveLength(1);
    expect(upstream(302)).toHaveLength(0);
  });

  test('a looped request gets 482; bad destinations are refused before anything is sent', async () => {
    const first = proxied('sequential');
    await tick(10);
    const forwarded = first.invites()[0] ?? '';
    // Back with the Request-URI it had the first time round: the hash matches, a loop.
    const loop = fakeUserAgent();
    loop.receive(forwarded.replace(/^INVITE \S+/, 'INVITE sip:engine@127.0.0.1:5060'));
    const outcomes: ProxyNotice[] = [];
    const id = loop.requests[0]?.transactionId ?? '';
    loop.ua.proxy.proxy({ transactionId: id, destinations: ['sip:x@127.0.0.1:5079'] }, (n) =>
      outcomes.push(n),
    );
    expect(outcomes[0]?.finalStatus).toBe(482);
    expect(loop.transport.matching(/^SIP\/2.0 482/)).toHaveLength(1);
    // Re-targeted (a spiral) back through the same server: no merged-request 482 (RFC 3261
    // 8.2.2.2 is a UAS rule), it reaches the application and is forwarded again.
    first.receive(forwarded);
    expect(first.transport.matching(/^SIP\/2.0 482/)).toHaveLength(0);
    expect(first.requests).toHaveLength(2);
    const spiral = first;
    const spiralId = first.requests[1]?.transactionId ?? '';
    spiral.ua.proxy.proxy(
      { transactionId: spiralId, destinations: ['sip:x@127.0.0.1:5079'] },
      () => undefined,
    );
    await tick(10);
    expect(spiral.transport.matching(/^INVITE sip:x@/)).toHaveLength(1);
    const other = proxied('sequential');
    const bad = () =>
      other.ua.proxy.proxy(
        { transactionId: other.requests[0]?.transactionId ?? '', destinations: ['tel:+1'] },
        () => undefined,
      );
    expect(bad).toThrow(/is answered or proxied already/);
    const fresh = fakeUserAgent();
    fresh.receive(incoming('INVITE'));
    expect(() =>
      fresh.ua.proxy.proxy(
        { transactionId: fresh.requests[0]?.transactionId ?? '', destinations: ['tel:+1'] },
        () => undefined,
      ),
    ).toThrow(/not a sip: URI/);
  });
});

describe('Record-Route and Max-Forwards', () => {
  test('out over TCP after coming in over UDP: two Record-Route entries, the outbound one on top', async () => {
    const { invites } = proxied('sequential', {
      destinations: ['sip:b@127.0.0.1:5072;transport=tcp'],
    });
    await tick(10);
    expect(invites()[0]).toMatch(
      /Record-Route: <sip:127.0.0.1:5060;transport=tcp;lr;dpx>\r\nRecord-Route: <sip:127.0.0.1:5060;transport=udp;lr;dpx>\r\nRecord-Route: <sip:upstream;lr>/,
    );
    expect(invites()[0]).toMatch(/^Via: SIP\/2.0\/TCP /m);
  });

  test('a destination with a route (a Path, RFC 3327) is sent to its first hop with Route headers', async () => {
    const { invites } = proxied('sequential', {
      destinations: [{ uri: 'sip:b@10.9.9.9:5072', route: ['<sip:127.0.0.1:5077;lr>'] }],
    });
    await tick(10);
    expect(invites()[0]).toMatch(/^INVITE sip:b@10.9.9.9:5072 SIP\/2.0\r\n/);
    expect(invites()[0]).toContain('Route: <sip:127.0.0.1:5077;lr>');
  });

  test('a routed request whose Max-Forwards reached 0 gets 483 and goes no further', async () => {
    const ua = fakeUserAgent();
    ua.receive(
      incoming('BYE', ['Route: <sip:127.0.0.1:5060;transport=udp;lr;dpx>'], {
        toTag: 'callee',
      }).replace('Max-Forwards: 70', 'Max-Forwards: 0'),
    );
    await tick(10);
    expect(ua.transport.matching(/^SIP\/2.0 483/)).toHaveLength(1);
    expect(ua.transport.matching(/^BYE /)).toHaveLength(0);
  });
});

describe('a dialog we record-routed', () => {
  test('its BYE and the ACK of its 2xx go to the next hop without the application', async () => {
    const ua = fakeUserAgent();
    const route = 'Route: <sip:127.0.0.1:5060;transport=udp;lr;dpx>';
    ua.receive(
      incoming('BYE', [route], { toTag: 'callee', branch: 'z9hG4bKbye' }).replace(
        'BYE sip:engine@127.0.0.1:5060',
        'BYE sip:b@127.0.0.1:5072',
      ),
    );
    await tick(10);
    const [bye] = ua.transport.matching(/^BYE /);
    expect(bye).toMatch(/^BYE sip:b@127.0.0.1:5072 /);
    expect(bye).not.toMatch(/^Route:/m);
    expect(ua.requests).toHaveLength(0);
    ua.receive(answer(bye ?? '', '200 OK'));
    expect(ua.transport.matching(/^SIP\/2.0 200/)).toHaveLength(1);

    ua.receive(
      incoming('ACK', [route], { toTag: 'callee', branch: 'z9hG4bKack' }).replace(
        'ACK sip:engine@127.0.0.1:5060',
        'ACK sip:b@127.0.0.1:5072',
      ),
    );
    await tick(10);
    expect(ua.transport.matching(/^ACK sip:b@/)).toHaveLength(1);
  });
});
