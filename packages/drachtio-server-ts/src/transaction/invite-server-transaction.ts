/**
 * INVITE server transaction, RFC 3261 17.2.1 with the Accepted state of RFC 6026 (figure 7).
 *
 *   Proceeding --300-699--> Completed --ACK--> Confirmed --Timer I--> Terminated
 *       |                       +--Timer H (no ACK)--> Terminated
 *       +--2xx--> Accepted (2xx retransmission is the dialog's job) --Timer L--> Terminated
 *
 * A retransmitted INVITE gets the last provisional or final again; Timer G retransmits a
 * non-2xx final over UDP until the ACK arrives. Accepted and Confirmed are lived by a lingering
 * record (lingering.ts): the transaction hands them over and its owner lets it go.
 */
import { transactionTimeout, type TimerSettings } from './timer-settings';
import { Transaction, type Channel } from './transaction';

const nothing = (): void => undefined;

export type InviteServerState =
  'proceeding' | 'completed' | 'confirmed' | 'accepted' | 'terminated';

export class InviteServerTransaction extends Transaction {
  state: InviteServerState = 'proceeding';
  private lastResponse: Buffer | undefined;

  constructor(
    id: string,
    channel: Channel,
    settings: TimerSettings,
    onTerminated: (transaction: Transaction) => void,
    /** Timer H fired: the peer never ACKed our non-2xx final. */
    private readonly onAckTimeout: () => void = nothing,
  ) {
    super(id, channel, settings, onTerminated);
  }

  /** True until a final response has been sent. */
  get pending(): boolean {
    return this.state === 'proceeding';
  }

  /** Send a response from the transaction user; returns false when a final was already sent. */
  respond(status: number, data: Buffer): boolean {
    if (this.state !== 'proceeding') return false;
    this.lastResponse = data;
    this.channel.send(data);
    if (status < 200) return true;
    if (status < 300) {
      // RFC 6026 8.5: in Accepted, INVITE retransmissions are absorbed without an answer; the 2xx
      // goes out again from the dialog until the ACK. Nothing here needs it for the next 32 s.
      this.lastResponse = undefined;
      this.state = 'accepted';
      this.linger({ state: 'accepted', ms: transactionTimeout(this.settings) });
      return true;
    }
    this.state = 'completed';
    if (!this.channel.reliable) this.scheduleRetransmit(this.settings.t1);
    this.startTimer('H', transactionTimeout(this.settings), () => {
      this.onAckTimeout();
      this.terminate();
    });
    return true;
  }

  /** Send a retransmission of a 2xx through this transaction's channel (the dialog's Timer). */
  resend(data: Buffer): void {
    this.channel.send(data);
  }

  /** A retransmission of the INVITE: absorbed, answered with the last response. */
  receiveRetransmission(): void {
    if ((this.state === 'proceeding' || this.state === 'completed') && this.lastResponse) {
      this.channel.send(this.lastResponse);
    }
  }

  /**
   * An ACK with this transaction's branch: confirms a non-2xx final. Returns true when the ACK
   * belongs to the transaction (and must not go further up).
   */
  receiveAck(): boolean {
    if (this.state === 'completed') {
      this.state = 'confirmed';
      if (this.channel.reliable) this.terminate();
      else this.linger({ state: 'confirmed', ms: this.settings.t4 });
      return true;
    }
    return this.state === 'confirmed';
  }

  override terminate(): void {
    this.state = 'terminated';
    super.terminate();
  }

  private scheduleRetransmit(interval: number): void {
    this.startTimer('G', interval, () => {
      if (this.lastResponse) this.channel.send(this.lastResponse);
      this.scheduleRetransmit(Math.min(interval * 2, this.settings.t2));
    });
  }
}
