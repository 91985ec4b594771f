import { createServer as createTcpServer, type Server, type Socket } from 'node:net';
import { MessageReader, encodeMessage, type Envelope } from 'drachtio-protocol';
import drachtio from '../src/index';

/**
 * The agent's keepalive against a server that froze: a peer speaking the real protocol over a
 * real socket, which authenticates the app and then never answers again.
 */
function frozenServer(): Promise<{
  server: Server;
  port: number;
  connections: number[];
  pings: number[];
}> {
  const connections: number[] = [];
  const pings: number[] = [];
  const server = createTcpServer((socket: Socket) => {
    connections.push(Date.now());
    const reader = new MessageReader();
    socket.on('data', (chunk) => {
      for (const frame of reader.push(chunk)) {
        if (frame instanceof Error || frame.envelope.type !== 'request') continue;
        const { rid, command } = frame.envelope;
        if (command === 'ping') {
          pings.push(Date.now());
          continue; // frozen: never answers
        }
        const data =
          command === 'authenticate'
            ? { version: 1, hostport: '127.0.0.1:5060', contacts: [], serverVersion: 'frozen' }
            : {};
        socket.write(
          encodeMessage({ envelope: { type: 'response', rid, ok: true, data } as Envelope }),
        );
      }
    });
    socket.on('error', () => undefined);
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, port: (server.address() as { port: number }).port, connections, pings }),
    ),
  );
}

describe('keepalive', () => {
  it('drops a connection whose ping goes unanswered and reconnects', async () => {
    const { server, port, connections, pings } = await frozenServer();
    const app = drachtio();
    const warnings: string[] = [];
    app.on('error', (err) => warnings.push(err.message));
    try {
      await new Promise<void>((resolve, reject) =>
        app.connect(
          {
            host: '127.0.0.1',
            port,
            secret: 's',
            keepalive: 100,
            reconnect: { minDelay: 10, maxDelay: 10 },
          },
          (err) => (err ? reject(err) : resolve()),
        ),
      );
      await new Promise((resolve) => app.once('disconnect', resolve));
      await new Promise((resolve) => app.once('connect', resolve));
      expect(pings.length).toBeGreaterThanOrEqual(1);
      expect(connections).toHaveLength(2);
      expect(warnings[0]).toMatch(/did not answer a ping within 100 ms/);
    } finally {
      app.disconnect();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
