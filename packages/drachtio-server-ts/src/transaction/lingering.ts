/**
 * What a server transaction leaves behind once it is finished but must still absorb
 * retransmissions: RFC 6026's Accepted (Timer L, 64*T1), Confirmed (Timer I, T4) and the
 * non-INVITE Completed state (Timer J, 64*T1). At thousands of calls a second tens of thousands
 * of them exist at once, so the state machine hands over only what answering a retransmission
 * takes, and the linger table (linger-table.ts) keeps that as bytes off the V8 heap: its state,
 * how long it lingers and, for a non-INVITE, the final response and where it went. The request,
 * the application's handle and the timers are gone.
 */
import type { ServerChannel } from './transaction';

/** The states a server transaction lingers in (the state machines' own names). */
export type LingeringState = 'accepted' | 'confirmed' | 'completed';

/** What a state machine hands over when it starts to linger. */
export interface Remainder {
  readonly state: LingeringState;
  /** How long it lingers, ms (Timer L, I or J). */
  readonly ms: number;
  /** The final a retransmitted non-INVITE request gets again, and the way back to its sender. */
  readonly answer?: { readonly response: Buffer; readonly channel: ServerChannel };
}
