import type { Writable } from 'node:stream';
import { encodeMessage, type OutgoingMessage } from './codec';

/** Under load, frames wait at most this long to share one write. */
const COALESCE_MS = 1;

/**
 * Writes messages to a connection, coalescing the frames of a turn of the event loop into a
 * single write (the socket is corked until the turn ends). Under load a server sends a reply and
 * several notifications per turn; one system call instead of one each is most of what the wire
 * costs. A connection that wrote less than COALESCE_MS ago waits out the rest of it, so that at
 * thousands of calls per second the writes come at most once a millisecond, each carrying the
 * frames of many turns; an idle connection writes at the end of the turn, without waiting.
 */
export class MessageWriter {
  private corked = false;
  private flushedAt = -COALESCE_MS;

  constructor(private readonly socket: Writable) {}

  write(message: OutgoingMessage): void {
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      const wait = this.flushedAt + COALESCE_MS - performance.now();
      if (wait > 0) setTimeout(this.flush, wait);
      else setImmediate(this.flush);
    }
    this.socket.write(encodeMessage(message));
  }

  private readonly flush = (): void => {
    this.corked = false;
    this.flushedAt = performance.now();
    this.socket.uncork();
  };
}
