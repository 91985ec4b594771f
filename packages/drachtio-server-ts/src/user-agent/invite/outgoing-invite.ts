/**
 * What the INVITE usage remembers about one INVITE of ours while its transaction lives: the
 * early and confirmed dialogs of its forks (RFC 3261 13.2.2.4), whether it was canceled, a
 * CANCEL waiting for the first provisional (9.1), and whether it was already retried after a
 * 422 (RFC 4028 7.4).
 */
import type { Dialog } from '../dialog/dialog';

export class OutgoingInvite {
  private forks: Map<string, Dialog> | undefined;
  private cancelRequested = false;
  private pendingCancel: Buffer | undefined;
  private retriedAfter422 = false;

  get canceled(): boolean {
    return this.cancelRequested;
  }

  get retried(): boolean {
    return this.retriedAfter422;
  }

  /** The dialog of the fork with this To tag. */
  fork(remoteTag: string | undefined): Dialog | undefined {
    return this.forks?.get(remoteTag ?? '');
  }

  addFork(dialog: Dialog): void {
    (this.forks ??= new Map()).set(dialog.remoteTag, dialog);
  }

  /** The forks still early, which end with the INVITE. */
  earlyForks(): Dialog[] {
    return [...(this.forks?.values() ?? [])].filter((dialog) => dialog.state === 'early');
  }

  /** RFC 3261 9.1: the CANCEL, to be sent now (undefined) or once a provisional arrives. */
  cancel(wire: Buffer, sendNow: boolean): void {
    this.cancelRequested = true;
    if (!sendNow) this.pendingCancel = wire;
  }

  /** The deferred CANCEL, handed over once: a provisional arrived, or the final made it moot. */
  takePendingCancel(): Buffer | undefined {
    const wire = this.pendingCancel;
    this.pendingCancel = undefined;
    return wire;
  }

  markRetried(): void {
    this.retriedAfter422 = true;
  }
}
