/**
 * Dialogs joined by a B2BUA: when one ends (BYE from its far end, ack timeout, session expiry,
 * or the application hanging it up) the other is ended with a BYE.
 */
export class DialogLinks {
  private readonly peers = new Map<string, string>();

  constructor(private readonly hangUp: (dialogId: string) => void) {}

  link(a: string, b: string): void {
    this.peers.set(a, b);
    this.peers.set(b, a);
  }

  /** Unlinks a dialog that ended and returns the peer that must now be ended too (by the caller). */
  release(dialogId: string): string | undefined {
    const peer = this.peers.get(dialogId);
    if (peer === undefined) return undefined;
    this.peers.delete(dialogId);
    this.peers.delete(peer);
    return peer;
  }

  /** A dialog ended: its peer, if it has one, is hung up. */
  ended(dialogId: string): void {
    const peer = this.release(dialogId);
    if (peer !== undefined) this.hangUp(peer);
  }

  clear(): void {
    this.peers.clear();
  }
}
