/** A raw TCP far end: records each request and answers it with the status it is told. */
import { createServer, type Server, type Socket } from 'node:net';
import { StreamFramer } from 'drachtio-sip';
import { waitFor } from '../engine/helpers';

export class TcpPeer {
  readonly received: string[] = [];
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    private readonly status: string,
  ) {
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      const framer = new StreamFramer();
      socket.on('data', (chunk: Buffer) => {
        for (const message of framer.push(chunk)) {
          const text = message.toString();
          this.received.push(text);
          if (!text.startsWith('SIP/') && !text.startsWith('ACK ')) socket.write(this.answer(text));
        }
      });
    });
  }

  static async open(status = '200 OK', host = '127.0.0.1'): Promise<TcpPeer> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, host, resolve));
    return new TcpPeer(server, status);
  }

  get port(): number {
    const address = this.server.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  /** Resolves with the first message received that matches. */
  next(match: RegExp, timeoutMs = 5000): Promise<string> {
    return waitFor(() => this.received.find((message) => match.test(message)), timeoutMs);
  }

  close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private answer(request: string): string {
    const copy = request
      .split('\r\n')
      .filter((line) => /^(Via|From|To|Call-ID|CSeq):/i.test(line))
      .join('\r\n');
    return `SIP/2.0 ${this.status}\r\n${copy}\r\nContent-Length: 0\r\n\r\n`;
  }
}
