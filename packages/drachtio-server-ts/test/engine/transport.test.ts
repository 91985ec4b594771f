/** Transport rules of RFC 3261 18: large requests over TCP, connection reuse, idle timeout. */
import { createServer, type Server, type Socket } from 'node:net';
import { freePort } from 'drachtio-test-kit';
import type { EngineResponse } from '../../src/engine-api';
import { startEngine, waitFor } from './helpers';

/** A TCP far end that answers 200 to every request and records what it saw. */
class TcpPeer {
  readonly requests: string[] = [];
  readonly connections: Socket[] = [];
  readonly closed: Socket[] = [];
  private constructor(private readonly server: Server) {}

  static async listen(port: number): Promise<TcpPeer> {
    const server = createServer();
    const peer = new TcpPeer(server);
    server.on('connection', (socket) => {
      peer.connections.push(socket);
      socket.on('close', () => peer.closed.push(socket));
      let buffer = '';
      socket.on('data', (chunk) => {
        buffer += chunk.toString();
        for (;;) {
          const end = buffer.indexOf('\r\n\r\n');
          if (end < 0) return;
          const length = Number(/^Content-Length:\s*(\d+)/im.exec(buffer.slice(0, end))?.[1] ?? 0);
          if (buffer.length < end + 4 + length) return;
          const message = buffer.slice(0, end + 4 + length);
          buffer = buffer.slice(end + 4 + length);
          peer.requests.push(message);
          socket.write(okFor(message));
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    return peer;
  }

  close(): Promise<void> {
    for (const socket of this.connections) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function okFor(request: string): string {
  const copy = request
    .split('\r\n')
    .filter((line) => /^(Via|From|To|Call-ID|CSeq):/i.test(line))
    .join('\r\n');
  return `SIP/2.0 200 OK\r\n${copy}\r\nContent-Length: 0\r\n\r\n`;
}

function finalOf(responses: EngineResponse[]): Promise<EngineResponse> {
  return waitFor(() => responses.find((r) => r.status >= 200));
}

test('a UDP request over 1300 bytes goes over TCP (RFC 3261 18.1.1)', async () => {
  const engine = await startEngine();
  const port = await freePort('tcp');
  const peer = await TcpPeer.listen(port);
  try {
    const responses: EngineResponse[] = [];
    const sent = await engine.request(
      {
        method: 'MESSAGE',
        uri: `sip:peer@127.0.0.1:${port}`,
        headers: { 'Content-Type': 'text/plain' },
        body: 'x'.repeat(1500),
      },
      (response) => responses.push(response),
    );
    expect(sent.raw).toMatch(/^Via: SIP\/2.0\/TCP /m);
    expect((await finalOf(responses)).status).toBe(200);
    expect(peer.requests).toHaveLength(1);
  } finally {
    await peer.close();
    await engine.stop();
  }
});

test('TCP connections are reused, and closed once idle', async () => {
  const engine = await startEngine({ tcpIdleTimeout: 300 });
  const port = await freePort('tcp');
  const peer = await TcpPeer.listen(port);
  try {
    for (let i = 0; i < 3; i++) {
      const responses: EngineResponse[] = [];
      await engine.request(
        { method: 'OPTIONS', uri: `sip:peer@127.0.0.1:${port};transport=tcp` },
        (r) => responses.push(r),
      );
      expect((await finalOf(responses)).status).toBe(200);
    }
    expect(peer.requests).toHaveLength(3);
    expect(peer.connections).toHaveLength(1);
    await waitFor(() => peer.closed.length === 1);
  } finally {
    await peer.close();
    await engine.stop();
  }
});

test('a port in use fails start() with EADDRINUSE', async () => {
  const port = await freePort('both');
  const first = await startEngine({ contacts: [`sip:127.0.0.1:${port};transport=udp`] });
  try {
    await expect(
      startEngine({ contacts: [`sip:127.0.0.1:${port};transport=udp`] }),
    ).rejects.toMatchObject({ code: 'EADDRINUSE' });
  } finally {
    await first.stop();
  }
});
