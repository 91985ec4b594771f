/**
 * SIP over TLS (RFC 3261 26) against real node:tls sockets and a CA made at test time: inbound
 * and outbound, sips: URIs, connection reuse for a client's registered contact (RFC 5923),
 * CRLF keepalives (RFC 5626 4.4.1), minimum version, client certificates, IPv6.
 */
import { connect, createServer, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { createTestCa, freePort, type TestCa } from 'drachtio-test-kit';
import type { Engine } from '../../src/engine';
import type { EngineResponse } from '../../src/engine-api';
import type { TlsSettings } from '../../src/transport/tls-settings';
import { startEngine, TestApp, waitFor } from '../engine/helpers';
import { register, SipPeer } from './sip-peer';

let ca: TestCa;
beforeAll(() => (ca = createTestCa()));
afterAll(() => ca.remove());

function serverTls(extra: Partial<TlsSettings> = {}): TlsSettings {
  return {
    cert: ca.read(ca.serverCert),
    key: ca.read(ca.serverKey),
    ca: ca.read(ca.caCert),
    ...extra,
  };
}

function tlsPort(engine: Engine, host = '127.0.0.1'): number {
  const contact = engine.contacts.find((c) => c.endsWith('transport=tls') && c.includes(host));
  if (!contact) throw new Error('no tls contact');
  return Number(/:(\d+);/.exec(contact)?.[1]);
}

function dial(port: number, options: ConnectionOptions = {}): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port, ca: ca.read(ca.caCert), ...options }, () =>
      resolve(socket),
    );
    socket.once('error', reject);
  });
}

describe('SIP over TLS', () => {
  let engine: Engine;
  let app: TestApp;

  beforeAll(async () => {
    engine = await startEngine({
      contacts: ['sip:127.0.0.1:0;transport=udp,tcp', 'sip:127.0.0.1:0;transport=tls'],
      tls: serverTls(),
      tcpKeepaliveInterval: 1,
    });
    app = new TestApp(engine);
  });
  afterAll(() => engine.stop());
  beforeEach(() => app.reset());

  it('lists the tls contact with its bound port', () => {
    expect(engine.contacts).toContainEqual(
      expect.stringMatching(/^sip:127\.0\.0\.1:\d+;transport=tls$/),
    );
  });

  it('answers a REGISTER over TLS on the same connection, and reaches the contact over it later', async () => {
    const socket = await dial(tlsPort(engine));
    const peer = SipPeer.overStream(socket);
    const local = `127.0.0.1:${socket.localPort}`;
    peer.send(register('tls', local, `sip:alice@${local};transport=tls`));
    expect(await peer.next(/^SIP\/2\.0 200/)).toMatch(/^Via: SIP\/2\.0\/TLS /m);
    expect(app.requests[0]?.source).toEqual({
      address: '127.0.0.1',
      port: socket.localPort,
      transport: 'tls',
    });

    // The client listens nowhere: only its own connection reaches it (RFC 5923 reuse).
    const responses: EngineResponse[] = [];
    await engine.request({ method: 'OPTIONS', uri: `sip:alice@${local};transport=tls` }, (r) =>
      responses.push(r),
    );
    const options = await peer.next(/^OPTIONS /);
    expect(options).toMatch(/^Via: SIP\/2\.0\/TLS 127\.0\.0\.1:\d+;rport;branch=/m);
    expect((await waitFor(() => responses.find((r) => r.status === 200))).status).toBe(200);
    socket.destroy();
  });

  it('reuses the connection for the Via sent-by a client marked alias (RFC 5923)', async () => {
    const socket = await dial(tlsPort(engine));
    const peer = SipPeer.overStream(socket);
    // Nothing listens on this port: only the aliased connection reaches "it".
    const aliased = `127.0.0.1:${await freePort('tcp')}`;
    peer.send(register('tls', `${aliased};alias`, 'sip:alice@198.51.100.9:5061;transport=tls'));
    await peer.next(/^SIP\/2\.0 200/);
    const responses: EngineResponse[] = [];
    await engine.request({ method: 'OPTIONS', uri: `sip:alice@${aliased};transport=tls` }, (r) =>
      responses.push(r),
    );
    expect(await peer.next(/^OPTIONS /)).toContain(`OPTIONS sip:alice@${aliased};transport=tls`);
    expect((await waitFor(() => responses.find((r) => r.status === 200))).status).toBe(200);
    socket.destroy();
  });

  it('pings every connection with CRLFCRLF at the keepalive interval (RFC 5626 4.4.1)', async () => {
    const socket = await dial(tlsPort(engine));
    const peer = SipPeer.overStream(socket);
    await waitFor(() => peer.raw === '\r\n\r\n' || undefined, 5000);
    socket.destroy();
  });

  it('sends to a sips: URI over TLS, verifying the peer against the CA', async () => {
    const port = await freePort('tcp');
    const received: SipPeer[] = [];
    const server = createServer(
      { cert: ca.read(ca.serverCert), key: ca.read(ca.serverKey) },
      (socket) => received.push(SipPeer.overStream(socket)),
    );
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    const responses: EngineResponse[] = [];
    await engine.request({ method: 'OPTIONS', uri: `sips:bob@127.0.0.1:${port}` }, (r) =>
      responses.push(r),
    );
    const options = await waitFor(() => received[0]).then((peer) => peer.next(/^OPTIONS sips:/));
    expect(options).toMatch(/^Via: SIP\/2\.0\/TLS /m);
    expect((await waitFor(() => responses.find((r) => r.status === 200))).status).toBe(200);
    server.close();
  });

  it('does not deliver to a TLS server whose certificate the CA did not sign', async () => {
    const port = await freePort('tcp');
    const stranger = createTestCa();
    const server = createServer(
      { cert: stranger.read(stranger.serverCert), key: stranger.read(stranger.serverKey) },
      (s) => s.on('error', () => undefined),
    );
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    const responses: EngineResponse[] = [];
    await engine.request(
      { method: 'OPTIONS', uri: `sip:bob@127.0.0.1:${port};transport=tls` },
      (r) => responses.push(r),
    );
    expect((await waitFor(() => responses.find((r) => r.status >= 400), 15_000)).status).toBe(503);
    server.close();
    stranger.remove();
  });
});

describe('TLS settings', () => {
  it('refuses a client below the minimum TLS version', async () => {
    const engine = await startEngine({
      contacts: ['sip:127.0.0.1:0;transport=tls'],
      tls: serverTls({ minVersion: 'TLSv1.3' }),
    });
    await expect(dial(tlsPort(engine), { maxVersion: 'TLSv1.2' })).rejects.toThrow();
    const ok = await dial(tlsPort(engine));
    expect(ok.getProtocol()).toBe('TLSv1.3');
    ok.destroy();
    await engine.stop();
  });

  it('with verifyClient, takes only clients with a certificate the CA signed', async () => {
    const engine = await startEngine({
      contacts: ['sip:127.0.0.1:0;transport=tls'],
      tls: serverTls({ verifyClient: true }),
    });
    new TestApp(engine);
    const anonymous = await dial(tlsPort(engine)).catch(() => undefined);
    if (anonymous) {
      // TLS 1.3 reports the refusal after the handshake: the connection is closed unanswered.
      const peer = SipPeer.overStream(anonymous);
      peer.send(register('tls', '127.0.0.1:1', 'sip:a@127.0.0.1:1;transport=tls'));
      await waitFor(() => peer.closed || undefined);
      expect(peer.messages).toEqual([]);
    }
    const socket = await dial(tlsPort(engine), {
      cert: ca.read(ca.clientCert),
      key: ca.read(ca.clientKey),
    });
    const peer = SipPeer.overStream(socket);
    peer.send(register('tls', '127.0.0.1:1', 'sip:a@127.0.0.1:1;transport=tls'));
    expect(await peer.next(/^SIP\/2\.0 200/)).toBeDefined();
    socket.destroy();
    await engine.stop();
  });

  it('listens on IPv6', async () => {
    const engine = await startEngine({ contacts: ['sip:[::1]:0;transport=tls'], tls: serverTls() });
    new TestApp(engine);
    const port = tlsPort(engine, '[::1]');
    const socket = await dial(port, { host: '::1' });
    const peer = SipPeer.overStream(socket);
    peer.send(
      register('tls', `[::1]:${socket.localPort}`, `sip:a@[::1]:${socket.localPort};transport=tls`),
    );
    expect(await peer.next(/^SIP\/2\.0 200/)).toMatch(/^Via: SIP\/2\.0\/TLS \[::1\]/m);
    socket.destroy();
    await engine.stop();
  });

  it('answers a CRLFCRLF ping with a CRLF pong', async () => {
    const engine = await startEngine({
      contacts: ['sip:127.0.0.1:0;transport=tls'],
      tls: serverTls(),
    });
    const socket = await dial(tlsPort(engine));
    const peer = SipPeer.overStream(socket);
    socket.write('\r\n\r\n');
    await waitFor(() => peer.raw === '\r\n' || undefined);
    socket.destroy();
    await engine.stop();
  });

  it('refuses a tls contact without a certificate', async () => {
    await expect(startEngine({ contacts: ['sip:127.0.0.1:0;transport=tls'] })).rejects.toThrow(
      /needs a TLS certificate/,
    );
  });
});
