/**
 * SIP over WebSocket (RFC 7118) against real `ws` clients: the `sip` subprotocol, Via WS/WSS,
 * a `.invalid` contact reached back over the client's own connection, the Origin allow-list,
 * the message size bound, CRLF pings, WSS with a CA made at test time, IPv6.
 */
import { createTestCa, type TestCa } from 'drachtio-test-kit';
import WebSocket from 'ws';
import type { Engine } from '../../src/engine';
import type { EngineResponse } from '../../src/engine-api';
import { startEngine, TestApp, waitFor } from '../engine/helpers';
import { register, SipPeer } from './sip-peer';

let ca: TestCa;
beforeAll(() => (ca = createTestCa()));
afterAll(() => ca.remove());

function urlOf(engine: Engine, transport: 'ws' | 'wss'): string {
  const contact = engine.contacts.find((c) => c.endsWith(`transport=${transport}`));
  if (!contact) throw new Error(`no ${transport} contact`);
  const hostport = contact.replace(/^sip:/, '').replace(/;.*$/, '');
  return `${transport}://${hostport}`;
}

function open(
  url: string,
  options: WebSocket.ClientOptions = {},
  protocol = 'sip',
): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, protocol, options);
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    socket.once('error', reject);
  });
}

describe('SIP over WebSocket', () => {
  let engine: Engine;
  let app: TestApp;

  beforeAll(async () => {
    engine = await startEngine({
      contacts: [
        'sip:127.0.0.1:0;transport=udp,tcp',
        'sip:127.0.0.1:0;transport=ws',
        'sip:127.0.0.1:0;transport=wss',
      ],
      tls: { cert: ca.read(ca.serverCert), key: ca.read(ca.serverKey) },
      websocket: { allowedOrigins: ['https://phone.example.com'], maxMessageSize: 4096 },
    });
    app = new TestApp(engine);
  });
  afterAll(() => engine.stop());
  beforeEach(() => app.reset());

  const origin = 'https://phone.example.com';

  it.each(['ws', 'wss'] as const)(
    'registers a %s client with a .invalid contact and reaches it back over its connection',
    async (transport) => {
      const socket = await open(urlOf(engine, transport), { origin, ca: ca.read(ca.caCert) });
      expect(socket.protocol).toBe('sip');
      const peer = SipPeer.overWebSocket(socket);
      // As JsSIP writes it: Contact transport=ws even over wss.
      const host = `${transport}client${Date.now()}.invalid`;
      peer.send(register(transport, host, `sip:alice@${host};transport=ws`));
      expect(await peer.next(/^SIP\/2\.0 200/)).toMatch(
        new RegExp(`^Via: SIP/2\\.0/${transport.toUpperCase()} ${host}`, 'mi'),
      );
      expect(app.requests[0]?.source.transport).toBe(transport);

      // The application knows only the registered contact.
      const responses: EngineResponse[] = [];
      await engine.request({ method: 'OPTIONS', uri: `sip:alice@${host};transport=ws` }, (r) =>
        responses.push(r),
      );
      const options = await peer.next(/^OPTIONS /);
      expect(options).toMatch(
        new RegExp(`^Via: SIP/2\\.0/${transport.toUpperCase()} 127\\.0\\.0\\.1:\\d+;rport`, 'mi'),
      );
      expect((await waitFor(() => responses.find((r) => r.status === 200))).status).toBe(200);
      socket.close();
    },
  );

  it('fails a request to a .invalid contact whose connection is gone', async () => {
    const socket = await open(urlOf(engine, 'ws'), { origin });
    const peer = SipPeer.overWebSocket(socket);
    peer.send(register('ws', 'gone.invalid', 'sip:bob@gone.invalid;transport=ws'));
    await peer.next(/^SIP\/2\.0 200/);
    socket.close();
    await waitFor(() => peer.closed || undefined);
    const responses: EngineResponse[] = [];
    await engine.request({ method: 'OPTIONS', uri: 'sip:bob@gone.invalid;transport=ws' }, (r) =>
      responses.push(r),
    );
    expect((await waitFor(() => responses.find((r) => r.status >= 400))).status).toBe(503);
  });

  it('refuses an Origin not on the list, and a client without the sip subprotocol', async () => {
    await expect(open(urlOf(engine, 'ws'), { origin: 'https://evil.example.com' })).rejects.toThrow(
      'HTTP 403',
    );
    await expect(open(urlOf(engine, 'ws'), {})).rejects.toThrow('HTTP 403');
    await expect(open(urlOf(engine, 'ws'), { origin }, 'chat')).rejects.toThrow('HTTP 400');
  });

  it('closes a connection that sends a message over the size bound', async () => {
    const socket = await open(urlOf(engine, 'ws'), { origin });
    const closed = new Promise<number>((resolve) => socket.once('close', resolve));
    socket.send(`OPTIONS sip:x SIP/2.0\r\nX-Pad: ${'a'.repeat(5000)}\r\n\r\n`);
    expect(await closed).toBe(1009);
    expect(app.requests).toEqual([]);
  });

  it('answers a CRLFCRLF message with a CRLF pong', async () => {
    const socket = await open(urlOf(engine, 'ws'), { origin });
    const peer = SipPeer.overWebSocket(socket);
    socket.send('\r\n\r\n');
    await waitFor(() => peer.raw === '\r\n' || undefined);
    socket.close();
  });

  it('answers a plain HTTP request with 426', async () => {
    const response = await fetch(urlOf(engine, 'ws').replace('ws:', 'http:'));
    expect(response.status).toBe(426);
  });
});

it('listens for WebSocket on IPv6', async () => {
  const engine = await startEngine({ contacts: ['sip:[::1]:0;transport=ws'] });
  new TestApp(engine);
  const socket = await open(urlOf(engine, 'ws'));
  const peer = SipPeer.overWebSocket(socket);
  peer.send(register('ws', 'v6.invalid', 'sip:a@v6.invalid;transport=ws'));
  expect(await peer.next(/^SIP\/2\.0 200/)).toMatch(/^Via: SIP\/2\.0\/WS v6\.invalid/m);
  const responses: EngineResponse[] = [];
  await engine.request({ method: 'OPTIONS', uri: 'sip:a@v6.invalid;transport=ws' }, (r) =>
    responses.push(r),
  );
  expect(await peer.next(/^OPTIONS /)).toMatch(/^Via: SIP\/2\.0\/WS \[::1\]:\d+/m);
  socket.close();
  await engine.stop();
});
