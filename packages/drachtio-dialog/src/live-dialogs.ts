/**
 * The dialogs this process is looking after, by id, with the session each belongs to, so that
 * a notice from the server (session expired, ack timeout) finds its dialog without a store
 * round trip. Bounded: when full, the oldest entry gives way (the store still has it).
 */
import type { SipDialog } from './sip-dialog';

export interface LiveDialog<S> {
  dialog: SipDialog;
  session: S;
}

export const DEFAULT_MAX_LIVE_DIALOGS = 100_000;

export class LiveDialogs<S> {
  private readonly byId = new Map<string, LiveDialog<S>>();

  constructor(private readonly maxEntries: number = DEFAULT_MAX_LIVE_DIALOGS) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new TypeError(
        `dialog(): maxLiveDialogs must be a positive integer, got ${String(maxEntries)}`,
      );
    }
  }

  get size(): number {
    return this.byId.size;
  }

  get(dialogId: string): LiveDialog<S> | undefined {
    return this.byId.get(dialogId);
  }

  /** Remember (or refresh) a dialog and the session it lives in. */
  set(dialog: SipDialog, session: S): void {
    this.byId.delete(dialog.id);
    this.byId.set(dialog.id, { dialog, session });
    if (this.byId.size > this.maxEntries) {
      const oldest = this.byId.keys().next().value as string;
      this.byId.delete(oldest);
    }
  }

  delete(dialogId: string): void {
    this.byId.delete(dialogId);
  }
}
