/**
 * 1:1 NAT as it shows on the wire: what leaves the server carries the contact's external
 * address (Via, Contact, Record-Route) unless the peer is on a local network, and every
 * response to a request that asked for rport carries received and rport (RFC 3581 section 4).
 */
import type { Engine } from '../../src/engine';
import type { EngineResponse } from '../../src/engine-api';
import { TransportLayer } from '../../src/transport/transport-layer';
import pino from 'pino';
import { recordRouteValue } from '../../src/user-agent/proxy/proxy-routing';
import { TcpPeer } from '../dns/tcp-peer';
import { SDP, startEngine, TestApp, udpPortOf, waitFor } from './helpers';
import { headerValues, requestText, UdpPeer } from './udp-client';

const CONTACT = 'sip:127.0.0.1:0;transport=udp,tcp';
const EXTERNAL = '203.0.113.7';

/** Sends an OPTIONS (or INVITE) to `uri` and waits for its final response. */
async function send(engine: Engine, method: string, uri: string): Promise<EngineResponse> {
  const responses: EngineResponse[] = [];
  const body = method === 'INVITE' ? SDP : undefined;
  await engine.request({ method, uri, body }, (response) => responses.push(response));
  return waitFor(() => responses.find((response) => response.status >= 200));
}

describe('behind 1:1 NAT, to a peer outside the local networks', () => {
  let engine: Engine;
  let app: TestApp;
  let peer: UdpPeer;

  beforeAll(async () => {
    engine = await startEngine({
      contacts: [CONTACT],
      addressing: { [CONTACT]: { externalIp: EXTERNAL } },
    });
    app = new TestApp(engine);
    peer = await UdpPeer.open();
  });
  afterAll(async () => {
    await peer.close();
    await engine.stop();
  });

  test('a request the server sends carries the external address in Via, Contact and From', async () => {
    const port = udpPortOf(engine);
    const from = peer.received.length;
    const sent = send(engine, 'INVITE', `sip:bob@127.0.0.1:${peer.port}`);
    const invite = await peer.next(/^INVITE /, from);
    peer.send(peer.answer(invite, '486 Busy Here'), port);
    expect((await sent).status).toBe(486);
    expect(headerValues(invite, 'Via')).toEqual([
      expect.stringMatching(new RegExp(`^SIP/2\\.0/UDP ${EXTERNAL}:${port};rport;branch=z9hG4bK`)),
    ]);
    expect(headerValues(invite, 'Contact')).toEqual([`<sip:${EXTERNAL}:${port}>`]);
    expect(headerValues(invite, 'From')[0]).toMatch(
      new RegExp(`^<sip:drachtio@${EXTERNAL}:${port}>;tag=`),
    );
  });

  test('an answer the server sends carries the external Contact, and received and rport', async () => {
    const port = udpPortOf(engine);
    const from = peer.received.length;
    const invite = requestText(peer.port, {
      method: 'INVITE',
      headers: { 'Content-Type': 'application/sdp', Contact: `<sip:alice@127.0.0.1:${peer.port}>` },
      body: SDP,
    });
    peer.send(invite, port);
    const ok = await peer.next(/^SIP\/2\.0 200 /, from);
    expect(headerValues(ok, 'Contact')).toEqual([`<sip:${EXTERNAL}:${port}>`]);
    // Every response to it, 180 included (RFC 3581 4: received even though the sent-by host
    // is the source address).
    const responses = peer.received.slice(from).filter((text) => text.startsWith('SIP/2.0 '));
    expect(responses.map((text) => text.slice(8, 11))).toEqual(
      expect.arrayContaining(['180', '200']),
    );
    for (const response of responses)
      expect(headerValues(response, 'Via')[0]).toMatch(
        new RegExp(
          `^SIP/2\\.0/UDP 127\\.0\\.0\\.1:${peer.port};rport=${peer.port};branch=[^;]+;received=127\\.0\\.0\\.1$`,
        ),
      );
    const toTag = /^To: .*;tag=([^;\s]+)/m.exec(ok)?.[1];
    const ack = invite
      .replace(/^INVITE /, 'ACK ')
      .replace(/^CSeq: 1 INVITE/m, 'CSeq: 1 ACK')
      .replace(/^(To: .*)$/m, `$1;tag=${toTag}`)
      .replace(/branch=[^;\r\n]+/, 'branch=z9hG4bKnatack')
      .replace(/\r\n\r\n[\s\S]*$/, '\r\n\r\n')
      .replace(/^Content-Length: \d+/m, 'Content-Length: 0')
      .replace(/^Content-Type: .*\r\n/m, '');
    peer.send(ack, port);
    await waitFor(() => app.requests.find((request) => request.method === 'ACK'));
  });

  test('a response to a request without rport gets no rport, nor received when sent-by is the source', async () => {
    const from = peer.received.length;
    const options = requestText(peer.port, {
      headers: { Via: `SIP/2.0/UDP 127.0.0.1:${peer.port};branch=z9hG4bKnorport` },
    });
    peer.send(options, udpPortOf(engine));
    const response = await peer.next(/^SIP\/2\.0 200 /, from);
    expect(headerValues(response, 'Via')).toEqual([
      `SIP/2.0/UDP 127.0.0.1:${peer.port};branch=z9hG4bKnorport`,
    ]);
  });

  test("the proxy's Record-Route names the external address to a peer outside the local nets", async () => {
    const layer = new TransportLayer([CONTACT], {
      tcpIdleTimeout: 1000,
      maxTcpConnections: 10,
      logger: pino({ level: 'silent' }),
      onMessage: () => undefined,
      addressing: { [CONTACT]: { externalIp: EXTERNAL, localNet: ['192.168.0.0/16'] } },
    });
    await layer.start();
    try {
      const port = Number(/:(\d+);/.exec(layer.contacts[0] ?? '')?.[1]);
      const outside = layer.localFor({ address: '127.0.0.1', port: 5060, transport: 'udp' });
      expect(recordRouteValue(outside)).toBe(`<sip:${EXTERNAL}:${port};transport=udp;lr;dpx>`);
      const inside = layer.localFor({ address: '192.168.4.4', port: 5060, transport: 'tcp' });
      expect(recordRouteValue(inside)).toBe(`<sip:127.0.0.1:${port};transport=tcp;lr;dpx>`);
    } finally {
      await layer.stop();
    }
  });
});

test('a peer on a local network sees the private address', async () => {
  const engine = await startEngine({
    contacts: [CONTACT],
    addressing: { [CONTACT]: { externalIp: EXTERNAL, localNet: ['127.0.0.0/8'] } },
  });
  const peer = await UdpPeer.open();
  try {
    const port = udpPortOf(engine);
    const sent = send(engine, 'OPTIONS', `sip:127.0.0.1:${peer.port}`);
    const options = await peer.next(/^OPTIONS /);
    peer.send(peer.answer(options, '200 OK'), port);
    expect((await sent).status).toBe(200);
    expect(headerValues(options, 'Via')[0]).toMatch(
      new RegExp(`^SIP/2\\.0/UDP 127\\.0\\.0\\.1:${port};rport;`),
    );
  } finally {
    await peer.close();
    await engine.stop();
  }
});

describe('IPv6 behind NAT, on every transport', () => {
  const V6 = 'sip:[::1]:0;transport=udp,tcp';
  let engine: Engine;
  beforeAll(async () => {
    engine = await startEngine({
      contacts: [V6],
      addressing: { [V6]: { externalIp: '2001:db8::7' } },
    });
  });
  afterAll(() => engine.stop());

  test('UDP: the Via names the external IPv6 address in brackets', async () => {
    const peer = await UdpPeer.open('::1');
    try {
      const sent = send(engine, 'OPTIONS', `sip:[::1]:${peer.port}`);
      const options = await peer.next(/^OPTIONS /);
      const port = Number(/\]:(\d+);/.exec(headerValues(options, 'Via')[0] ?? '')?.[1]);
      peer.send(peer.answer(options, '200 OK'), port, '::1');
      expect((await sent).status).toBe(200);
      expect(headerValues(options, 'Via')[0]).toMatch(
        /^SIP\/2\.0\/UDP \[2001:db8::7\]:\d+;rport;branch=/,
      );
    } finally {
      await peer.close();
    }
  });

  test('TCP: the Via names the external IPv6 address in brackets', async () => {
    const peer = await TcpPeer.open('200 OK', '::1');
    try {
      const response = await send(engine, 'OPTIONS', `sip:[::1]:${peer.port};transport=tcp`);
      expect(response.status).toBe(200);
      const options = await peer.next(/^OPTIONS /);
      expect(headerValues(options, 'Via')[0]).toMatch(
        /^SIP\/2\.0\/TCP \[2001:db8::7\]:\d+;rport;branch=/,
      );
    } finally {
      await peer.close();
    }
  });
});

test('--mtu: a UDP request larger than it goes over TCP (RFC 3261 18.1.1)', async () => {
  const engine = await startEngine({ mtu: 200 });
  const peer = await TcpPeer.open();
  try {
    const response = await send(engine, 'OPTIONS', `sip:127.0.0.1:${peer.port}`);
    expect(response.status).toBe(200);
    expect(response.source.transport).toBe('tcp');
    expect(await peer.next(/^OPTIONS /)).toMatch(/^Via: SIP\/2\.0\/TCP /m);
  } finally {
    await peer.close();
    await engine.stop();
  }
});
