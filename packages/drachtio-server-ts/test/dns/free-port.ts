/** Ports free a moment ago, for a server a test starts next or for a peer that is down. */
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

/** A UDP port free a moment ago (dnsmasq binds it right after). */
export function freeUdpPort(): Promise<number> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.bind(0, '127.0.0.1', () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

/** A TCP port nothing listens on: connections to it are refused. */
export function freeTcpPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
