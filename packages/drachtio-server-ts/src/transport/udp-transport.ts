/** One UDP socket: every datagram is one SIP message. */
import { createSocket, type Socket } from 'node:dgram';
import type { InboundMessage } from './transport';

const MAX_DATAGRAM = 65535;
/** Room for bursts (thousands of calls per second) before the kernel drops datagrams. */
const SOCKET_BUFFER_BYTES = 4 * 1024 * 1024;

export class UdpTransport {
  private socket: Socket | undefined;
  private boundPort = 0;

  constructor(
    readonly host: string,
    private readonly ipv6: boolean,
    private readonly onMessage: (message: InboundMessage) => void,
    private readonly onError: (error: Error) => void,
  ) {}

  get port(): number {
    return this.boundPort;
  }

  bind(port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = createSocket({ type: this.ipv6 ? 'udp6' : 'udp4', ipv6Only: this.ipv6 });
      const failed = (error: Error) => {
        socket.close();
        reject(error);
      };
      socket.once('error', failed);
      socket.bind(port, this.host, () => {
        socket.off('error', failed);
        socket.on('error', this.onError);
        socket.on('message', (data, rinfo) => {
          // A bare CRLF is a keep-alive, not a message.
          if (data.length <= 4 && data.toString('latin1').trim() === '') return;
          if (data.length > MAX_DATAGRAM) return;
          this.onMessage({
            data,
            source: { address: rinfo.address, port: rinfo.port, transport: 'udp' },
            receivedAt: Date.now(),
          });
        });
        this.socket = socket;
        this.boundPort = socket.address().port;
        enlargeBuffers(socket);
        resolve();
      });
    });
  }

  send(data: Buffer, address: string, port: number, onFailure?: (error: Error) => void): void {
    if (!this.socket) return onFailure?.(new Error('UDP transport is closed'));
    this.socket.send(data, port, address, (error) => {
      if (error) onFailure?.(error);
    });
  }

  close(): Promise<void> {
    const socket = this.socket;
    this.socket = undefined;
    return new Promise((resolve) => (socket ? socket.close(() => resolve()) : resolve()));
  }
}

/** Best effort: the kernel caps the size (net.core.rmem_max) and some systems refuse it. */
function enlargeBuffers(socket: Socket): void {
  try {
    socket.setRecvBufferSize(SOCKET_BUFFER_BYTES);
    socket.setSendBufferSize(SOCKET_BUFFER_BYTES);
  } catch {
    // the defaults still work, with less room for bursts
  }
}
