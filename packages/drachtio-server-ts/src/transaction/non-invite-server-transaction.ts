/**
 * Non-INVITE server transaction, RFC 3261 17.2.2 (figure 8).
 *
 *   Trying --1xx--> Proceeding --200-699--> Completed --Timer J--> Terminated
 *
 * Retransmitted requests are absorbed: in Proceeding and Completed they get the last response.
 * Completed is lived by a lingering record (lingering.ts) that keeps the final to send again.
 */
import { transactionTimeout, type TimerSettings } from './timer-settings';
import { Transaction, type ServerChannel } from './transaction';

export type NonInviteServerState = 'trying' | 'proceeding' | 'completed' | 'terminated';

export class NonInviteServerTransaction extends Transaction {
  state: NonInviteServerState = 'trying';
  private lastResponse: Buffer | undefined;
  /** Its destination goes into the lingering record with the final. */
  declare protected readonly channel: ServerChannel;

  constructor(
    id: string,
    channel: ServerChannel,
    settings: TimerSettings,
    onTerminated: (transaction: Transaction) => void,
  ) {
    super(id, channel, settings, onTerminated);
  }

  get pending(): boolean {
    return this.state === 'trying' || this.state === 'proceeding';
  }

  respond(status: number, data: Buffer): boolean {
    if (!this.pending) return false;
    this.lastResponse = data;
    this.channel.send(data);
    if (status < 200) {
      this.state = 'proceeding';
      return true;
    }
    this.state = 'completed';
    if (this.channel.reliable) this.terminate();
    else
      this.linger({
        state: 'completed',
        ms: transactionTimeout(this.settings),
        answer: { response: data, channel: this.channel },
      });
    return true;
  }

  receiveRetransmission(): void {
    if (this.lastResponse && this.state !== 'terminated') this.channel.send(this.lastResponse);
  }

  override terminate(): void {
    this.state = 'terminated';
    super.terminate();
  }
}
