/**
 * What a server transaction leaves behind once it is finished but must still absorb
 * retransmissions: RFC 6026's Accepted (Timer L, 64*T1), Confirmed (Timer I, T4) and the
 * non-INVITE Completed state (Timer J, 64*T1). At thousands of calls a second tens of thousands
 * of them exist at once, so a record keeps only what answering a retransmission takes: its
 * matching key (RFC 3261 17.2.3), its state, when it ends and, for a non-INVITE, the final
 * response to send again. The request, the application's handle and the timers are gone.
 */
import type { Channel } from './transaction';

/** The states a server transaction lingers in (the state machines' own names). */
export type LingeringState = 'accepted' | 'confirmed' | 'completed';

/** What a state machine hands over when it starts to linger. */
export interface Remainder {
  readonly state: LingeringState;
  /** How long it lingers, ms (Timer L, I or J). */
  readonly ms: number;
  /** The final a retransmitted non-INVITE request gets again, and the way back to its sender. */
  readonly answer?: { readonly response: Buffer; readonly channel: Channel };
}

/**
 * Heap bytes beyond the text itself, as bench/linger-heap.mjs measures them (Node 22, no pointer
 * compression): a record is its object, its map entry, its expiry and its key (a sliced string
 * and the copy it points into); a merge key adds the same string overhead and a map entry; a
 * final response adds its string and the channel (object and destination) it goes out on.
 */
const RECORD_OVERHEAD = 230;
const MERGE_KEY_OVERHEAD = 110;
const ANSWER_OVERHEAD = 130;

export class LingeringServer {
  /** Estimated heap bytes, for the byte budget of the lingering records. */
  readonly bytes: number;
  readonly state: LingeringState;
  /**
   * The final response's bytes as a one-byte string: a Buffer of its own costs about 180 bytes
   * more (its ArrayBuffer and two objects), and retransmissions that need it back are rare.
   */
  private readonly response: string | undefined;
  private readonly channel: Channel | undefined;

  constructor(
    /** The matching key (the table's map key too). */
    readonly key: string,
    /** Date.now() at which it ends. */
    readonly expires: number,
    remainder: Remainder,
    /** An INVITE's RFC 3261 8.2.2.2 merge key: it keeps spotting merged copies meanwhile. */
    readonly mergeKey: string | undefined,
  ) {
    this.state = remainder.state;
    this.response = remainder.answer?.response.toString('latin1');
    this.channel = remainder.answer?.channel;
    this.bytes =
      RECORD_OVERHEAD +
      key.length +
      (mergeKey === undefined ? 0 : MERGE_KEY_OVERHEAD + mergeKey.length) +
      (this.response === undefined ? 0 : ANSWER_OVERHEAD + this.response.length);
  }

  /**
   * A retransmitted request: a non-INVITE gets its final again (17.2.2); an INVITE is absorbed
   * (in Accepted the 2xx goes out again from the dialog, in Confirmed nothing is owed).
   */
  receiveRetransmission(): void {
    if (this.response !== undefined) this.channel?.send(Buffer.from(this.response, 'latin1'));
  }

  /** An ACK with this INVITE's key: Confirmed absorbs it; in Accepted it is the dialog's (a 2xx ACK). */
  receiveAck(): boolean {
    return this.state === 'confirmed';
  }
}
