// A free UDP port on 127.0.0.1 for a sipp instance (sipp cannot be told to bind port 0 and
// report the port back). Found by binding port 0 and releasing it.
import { createSocket } from 'node:dgram';

export function freeUdpPort(host = '127.0.0.1') {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, host, () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}
