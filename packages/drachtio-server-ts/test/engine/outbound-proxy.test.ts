/**
 * The global outbound proxy: every request outside a dialog goes to it first, its Request-URI
 * unchanged (RFC 3261 8.1.2); an application's own `proxy` for a request wins.
 */
import type { Engine } from '../../src/engine';
import type { EngineResponse } from '../../src/engine-api';
import { startEngine, udpPortOf, waitFor } from './helpers';
import { UdpPeer } from './udp-client';

let engine: Engine;
let proxy: UdpPeer;
let other: UdpPeer;

beforeAll(async () => {
  proxy = await UdpPeer.open();
  other = await UdpPeer.open();
  engine = await startEngine({ outboundProxy: `sip:127.0.0.1:${proxy.port}` });
});
afterAll(async () => {
  await Promise.all([proxy.close(), other.close()]);
  await engine.stop();
});

async function optionsVia(peer: UdpPeer, uri: string, appProxy?: string): Promise<string> {
  const responses: EngineResponse[] = [];
  const from = peer.received.length;
  await engine.request({ method: 'OPTIONS', uri, proxy: appProxy }, (r) => responses.push(r));
  const request = await peer.next(/^OPTIONS /, from);
  peer.send(peer.answer(request, '200 OK'), udpPortOf(engine));
  expect((await waitFor(() => responses.find((r) => r.status >= 200))).status).toBe(200);
  return request;
}

test('a request outside a dialog goes to the outbound proxy, its Request-URI unchanged', async () => {
  const request = await optionsVia(proxy, 'sip:bob@198.51.100.1');
  expect(request).toMatch(/^OPTIONS sip:bob@198\.51\.100\.1 SIP\/2\.0\r\n/);
});

test("the application's proxy wins over the outbound proxy", async () => {
  const request = await optionsVia(other, 'sip:bob@198.51.100.1', `sip:127.0.0.1:${other.port}`);
  expect(request).toMatch(/^OPTIONS sip:bob@198\.51\.100\.1 SIP\/2\.0\r\n/);
  expect(
    proxy.received.filter((text) => text.includes(/^Call-ID: (.*)$/m.exec(request)?.[1] ?? '?')),
  ).toEqual([]);
});
