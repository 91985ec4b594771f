import type { Writable } from 'node:stream';
import { encodeMessage, type OutgoingMessage } from './codec';

/**
 * Writes messages to a connection, coalescing every frame written in one turn of the event
 * loop into a single write (the socket is corked until the turn ends). Under load a server
 * sends a reply and several notifications per turn; one system call instead of one each is
 * most of what the wire costs.
 */
export class MessageWriter {
  private corked = false;

  constructor(private readonly socket: Writable) {}

  write(message: OutgoingMessage): void {
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      setImmediate(this.flush);
    }
    this.socket.write(encodeMessage(message));
  }

  private readonly flush = (): void => {
    this.corked = false;
    this.socket.uncork();
  };
}
