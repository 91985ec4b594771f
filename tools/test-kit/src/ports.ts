/**
 * Free ports for tests that run in parallel with other packages' suites. The port is found by
 * binding port 0 and closing again, so another process may in theory take it before the caller
 * does; binding port 0 directly is always preferable when the code under test allows it.
 */
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

export type PortKind = 'udp' | 'tcp' | 'both';

const MAX_ATTEMPTS = 50;

export async function freePort(kind: PortKind = 'both', host = '127.0.0.1'): Promise<number> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const port = kind === 'udp' ? await bindUdp(host, 0) : await bindTcp(host, 0);
    if (port === undefined) continue;
    if (kind !== 'both') return port;
    // 'both' needs the same number free on UDP too (sipp and the engine listen on both).
    if ((await bindUdp(host, port)) === port) return port;
  }
  throw new Error(`freePort: no free ${kind} port found on ${host}`);
}

function bindUdp(host: string, port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    socket.once('error', () => {
      socket.close();
      resolve(undefined);
    });
    socket.bind(port, host, () => {
      const bound = socket.address().port;
      socket.close(() => resolve(bound));
    });
  });
}

function bindTcp(host: string, port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen({ port, host, exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : undefined;
      server.close(() => resolve(bound));
    });
  });
}
