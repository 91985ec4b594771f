/**
 * INVITE client transaction, RFC 3261 17.1.1 with the Accepted state of RFC 6026 (figure 5).
 *
 *   Calling --1xx--> Proceeding --300-699 (ACK sent)--> Completed --Timer D--> Terminated
 *      |                 |
 *      +------2xx--------+--> Accepted (2xx retransmissions still reach the user) --Timer M--> Terminated
 *
 * Timer A retransmits the INVITE over UDP, Timer B gives up on it, and Timer C (restarted by
 * every provisional) bounds how long a ringing call may wait for its final response; when it
 * fires the user cancels, and the transaction waits 64*T1 more for the final response.
 */
import { transactionTimeout, type TimerSettings } from './timer-settings';
import { Transaction, type Channel, type ResponseLike, type TimerName } from './transaction';

export interface InviteClientUser<R extends ResponseLike> {
  /** Provisional and final responses, and retransmitted 2xx (the user ACKs those). */
  onResponse(response: R): void;
  /** Timer B (no response at all) or Timer C (no final after a provisional). */
  onTimeout(timer: 'B' | 'C'): void;
  /** Builds the ACK for a non-2xx final (same branch, the response's To). */
  buildAck(response: R): Buffer;
}

export type InviteClientState = 'calling' | 'proceeding' | 'completed' | 'accepted' | 'terminated';

export class InviteClientTransaction<R extends ResponseLike> extends Transaction {
  state: InviteClientState = 'calling';
  private ack: Buffer | undefined;

  constructor(
    id: string,
    private readonly request: Buffer,
    channel: Channel,
    settings: TimerSettings,
    private readonly user: InviteClientUser<R>,
    onTerminated: (transaction: Transaction) => void,
  ) {
    super(id, channel, settings, onTerminated);
    channel.send(request);
    if (!channel.reliable) this.scheduleRetransmit(settings.t1);
    this.startTimer('B', transactionTimeout(settings), () => this.timeout('B'));
    this.startTimer('C', settings.timerC, () => this.timeout('C'));
  }

  receiveResponse(response: R): void {
    const { status } = response;
    switch (this.state) {
      case 'calling':
      case 'proceeding':
        if (status < 200) {
          this.state = 'proceeding';
          this.stopTimer('A');
          this.stopTimer('B');
          if (status > 100) this.startTimer('C', this.settings.timerC, () => this.timeout('C'));
          this.user.onResponse(response);
        } else if (status < 300) {
          this.state = 'accepted';
          this.settle();
          this.stopFinalTimers();
          this.startTimer('M', transactionTimeout(this.settings), () => this.terminate());
          this.user.onResponse(response);
        } else {
          this.state = 'completed';
          this.settle();
          this.stopFinalTimers();
          this.ack = this.user.buildAck(response);
          this.channel.send(this.ack);
          this.user.onResponse(response);
          this.endAfter(this.channel.reliable ? 0 : 32000, 'D');
        }
        return;
      case 'completed':
        // A retransmitted final: our ACK was lost.
        if (status >= 300 && this.ack) this.channel.send(this.ack);
        return;
      case 'accepted':
        if (status >= 200 && status < 300) this.user.onResponse(response);
        return;
      case 'terminated':
        return;
    }
  }

  override terminate(): void {
    this.state = 'terminated';
    super.terminate();
  }

  private scheduleRetransmit(interval: number): void {
    this.startTimer('A', interval, () => {
      this.channel.send(this.request);
      this.scheduleRetransmit(interval * 2);
    });
  }

  private stopFinalTimers(): void {
    this.stopTimer('A');
    this.stopTimer('B');
    this.stopTimer('C');
  }

  private timeout(timer: 'B' | 'C'): void {
    this.user.onTimeout(timer);
    if (timer === 'B' || this.state === 'calling') {
      this.terminate();
      return;
    }
    // Timer C: the user CANCELs; stay to ACK the 487 that follows, but not for ever.
    this.stopTimer('A');
    this.startTimer('B', transactionTimeout(this.settings), () => this.terminate());
  }

  private endAfter(ms: number, timer: TimerName): void {
    if (ms === 0) this.terminate();
    else this.startTimer(timer, ms, () => this.terminate());
  }
}
