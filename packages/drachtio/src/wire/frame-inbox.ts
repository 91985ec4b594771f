import type { Frame } from 'drachtio-protocol';

/**
 * The frames read from the server, handled in order; but after a command reply the next frame
 * waits until the reply's promise callbacks have run: a notice about a transaction (its first
 * response, say) may follow the reply that told us the transaction's id in the same TCP read.
 */
export class FrameInbox {
  private readonly frames: Frame[] = [];
  private paused = false;

  constructor(private readonly handle: (frame: Frame) => void) {}

  push(frames: Frame[]): void {
    this.frames.push(...frames);
    this.drain();
  }

  /** A new connection: what the last one left unread is dropped. */
  clear(): void {
    this.frames.length = 0;
  }

  private drain(): void {
    if (this.paused) return;
    while (this.frames.length > 0) {
      const frame = this.frames.shift() as Frame;
      this.handle(frame);
      if (frame.envelope.type === 'response' && this.frames.length > 0) {
        this.paused = true;
        setImmediate(() => {
          this.paused = false;
          this.drain();
        });
        return;
      }
    }
  }
}
