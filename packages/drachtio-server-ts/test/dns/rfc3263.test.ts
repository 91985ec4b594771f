/**
 * RFC 3263 against a real DNS server (dnsmasq on a loopback port): NAPTR -> SRV -> A/AAAA for
 * a request outside a dialog, an explicit port skipping SRV, and failover to the next SRV
 * target on a transport error, a timeout and a 503 (RFC 3263 4.3).
 */
import type { Engine } from '../../src/engine';
import type { EngineResponse } from '../../src/engine-api';
import { startEngine, waitFor } from '../engine/helpers';
import { UdpPeer } from '../engine/udp-client';
import { describeWithDnsmasq, Dnsmasq } from './dnsmasq';
import { TcpPeer } from './tcp-peer';
import { freeTcpPort } from './free-port';

/** Sends `uri` an OPTIONS and resolves with its final response. */
async function options(engine: Engine, uri: string): Promise<EngineResponse> {
  const responses: EngineResponse[] = [];
  await engine.request({ method: 'OPTIONS', uri }, (response) => responses.push(response));
  return waitFor(() => responses.find((response) => response.status >= 200), 15_000);
}

/** A peer that answers each request with `status` until the returned function is called. */
function answering(peer: UdpPeer, status: string): () => void {
  let stopped = false;
  let seen = 0;
  const loop = async (): Promise<void> => {
    while (!stopped) {
      const request = await peer.next(/^[A-Z]+ sip:/, seen, 200).catch(() => undefined);
      if (!request) continue;
      seen = peer.received.indexOf(request) + 1;
      peer.send(peer.answer(request, status), portOfVia(request));
    }
  };
  void loop();
  return () => {
    stopped = true;
  };
}

function portOfVia(request: string): number {
  return Number(/^Via: SIP\/2\.0\/UDP [^:]+:(\d+)/m.exec(request)?.[1]);
}

describeWithDnsmasq('RFC 3263 resolution through dnsmasq', () => {
  let dns: Dnsmasq;
  let engine: Engine;
  let good: UdpPeer;
  let busy: UdpPeer;
  let silentPort: number;
  let tcpGood: TcpPeer;
  let deadTcpPort: number;
  const closeAfter: Array<() => Promise<void>> = [];
  const stoppers: Array<() => void> = [];

  beforeAll(async () => {
    good = await UdpPeer.open();
    busy = await UdpPeer.open();
    const silent = await UdpPeer.open(); // bound, never answers: the request times out
    silentPort = silent.port;
    closeAfter.push(() => silent.close());
    tcpGood = await TcpPeer.open();
    deadTcpPort = await freeTcpPort();
    stoppers.push(answering(good, '200 OK'), answering(busy, '503 Service Unavailable'));
    dns = await Dnsmasq.start({
      naptr: [
        'svc.example.test,10,50,S,SIP+D2U,,_sip._udp.svc.example.test',
        'tcp.example.test,10,50,S,SIP+D2T,,_sip._tcp.tcp.example.test',
      ],
      srv: [
        `_sip._udp.svc.example.test,a.example.test,${good.port},10,0`,
        // no NAPTR: the SRV query for each transport is next (RFC 3263 4.1)
        `_sip._udp.busy.example.test,a.example.test,${busy.port},10,0`,
        `_sip._udp.busy.example.test,a.example.test,${good.port},20,0`,
        `_sip._udp.slow.example.test,a.example.test,${silentPort},10,0`,
        `_sip._udp.slow.example.test,a.example.test,${good.port},20,0`,
        `_sip._tcp.tcp.example.test,a.example.test,${deadTcpPort},10,0`,
        `_sip._tcp.tcp.example.test,a.example.test,${tcpGood.port},20,0`,
      ],
      hosts: ['a.example.test,127.0.0.1'],
    });
    engine = await startEngine({ dnsServers: [dns.server] });
  });
  afterAll(async () => {
    for (const stop of stoppers) stop();
    await engine?.stop();
    await dns?.stop();
    await Promise.all([
      good?.close(),
      busy?.close(),
      tcpGood?.close(),
      ...closeAfter.map((f) => f()),
    ]);
  });

  test('a request to sip:svc.example.test reaches the SRV target that NAPTR names', async () => {
    const from = good.received.length;
    const response = await options(engine, 'sip:svc.example.test');
    expect(response.status).toBe(200);
    expect(response.source).toEqual({ address: '127.0.0.1', port: good.port, transport: 'udp' });
    const request = await good.next(/^OPTIONS sip:svc\.example\.test SIP\/2\.0/, from);
    expect(request).toMatch(/^Via: SIP\/2\.0\/UDP 127\.0\.0\.1:\d+;rport;branch=z9hG4bK/m);
  });

  test('an explicit port skips NAPTR and SRV: the host is looked up by A', async () => {
    const from = good.received.length;
    const response = await options(engine, `sip:a.example.test:${good.port}`);
    expect(response.status).toBe(200);
    await good.next(/^OPTIONS sip:a\.example\.test:\d+ SIP\/2\.0/, from);
  });

  test('a 503 from the first target moves the request to the second', async () => {
    const fromBusy = busy.received.length;
    const fromGood = good.received.length;
    const response = await options(engine, 'sip:busy.example.test');
    expect(response.status).toBe(200);
    expect(response.source.port).toBe(good.port);
    const first = await busy.next(/^OPTIONS sip:busy\.example\.test/, fromBusy);
    const second = await good.next(/^OPTIONS sip:busy\.example\.test/, fromGood);
    // A new client transaction: a new branch, the same Call-ID and CSeq.
    const branch = (text: string) => /branch=([^;\s]+)/.exec(text)?.[1];
    expect(branch(second)).not.toBe(branch(first));
    expect(/^Call-ID: (.*)$/m.exec(second)?.[1]).toBe(/^Call-ID: (.*)$/m.exec(first)?.[1]);
  });

  test('a timeout at the first target moves the request to the second', async () => {
    const fromGood = good.received.length;
    const response = await options(engine, 'sip:slow.example.test');
    expect(response.status).toBe(200);
    expect(response.source.port).toBe(good.port);
    await good.next(/^OPTIONS sip:slow\.example\.test/, fromGood);
  });

  test('a refused TCP connection moves the request to the next target', async () => {
    const response = await options(engine, 'sip:tcp.example.test');
    expect(response.status).toBe(200);
    expect(response.source).toEqual({ address: '127.0.0.1', port: tcpGood.port, transport: 'tcp' });
    expect(tcpGood.received[0]).toMatch(
      /^OPTIONS sip:tcp\.example\.test SIP\/2\.0\r\nVia: SIP\/2\.0\/TCP /,
    );
  });

  test('a name nothing resolves is refused with a clear error', async () => {
    await expect(
      engine.request({ method: 'OPTIONS', uri: 'sip:nowhere.example.test' }, () => undefined),
    ).rejects.toThrow(
      /cannot send to sip:nowhere\.example\.test: no address found for nowhere\.example\.test/,
    );
  });
});
