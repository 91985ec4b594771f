/**
 * Non-INVITE client transaction, RFC 3261 17.1.2 (figure 6).
 *
 *   Trying --1xx--> Proceeding --200-699--> Completed --Timer K--> Terminated
 *
 * Timer E retransmits over UDP (doubling up to T2, then every T2), Timer F gives up.
 */
import { transactionTimeout, type TimerSettings } from './timer-settings';
import { Transaction, type Channel, type ResponseLike } from './transaction';

export interface NonInviteClientUser<R extends ResponseLike> {
  onResponse(response: R): void;
  onTimeout(timer: 'F'): void;
}

export type NonInviteClientState = 'trying' | 'proceeding' | 'completed' | 'terminated';

export class NonInviteClientTransaction<R extends ResponseLike> extends Transaction {
  state: NonInviteClientState = 'trying';

  constructor(
    id: string,
    private readonly request: Buffer,
    channel: Channel,
    settings: TimerSettings,
    private readonly user: NonInviteClientUser<R>,
    onTerminated: (transaction: Transaction) => void,
  ) {
    super(id, channel, settings, onTerminated);
    channel.send(request);
    if (!channel.reliable) this.scheduleRetransmit(settings.t1);
    this.startTimer('F', transactionTimeout(settings), () => {
      this.user.onTimeout('F');
      this.terminate();
    });
  }

  receiveResponse(response: R): void {
    if (this.state === 'completed' || this.state === 'terminated') return;
    if (response.status < 200) {
      this.state = 'proceeding';
      this.user.onResponse(response);
      return;
    }
    this.state = 'completed';
    this.settle();
    this.stopTimer('E');
    this.stopTimer('F');
    this.user.onResponse(response);
    if (this.channel.reliable) this.terminate();
    else this.startTimer('K', this.settings.t4, () => this.terminate());
  }

  override terminate(): void {
    this.state = 'terminated';
    super.terminate();
  }

  private scheduleRetransmit(interval: number): void {
    this.startTimer('E', interval, () => {
      this.channel.send(this.request);
      // In Proceeding the interval is T2 at once (17.1.2.2).
      const next =
        this.state === 'proceeding' ? this.settings.t2 : Math.min(interval * 2, this.settings.t2);
      this.scheduleRetransmit(next);
    });
  }
}
