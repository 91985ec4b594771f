/**
 * The bookkeeping of one app's dialogs, as the halves that create them (UAS in the controller,
 * UAC in UacDialogs) share it.
 */
import type { ClientRequest, Request } from 'drachtio';
import type { B2buaLegs } from './b2bua-legs';
import type { SipDialogEventName } from './dialog-event';
import type { DialogSession } from './session-dialogs';
import type { SipDialog } from './sip-dialog';

export interface DialogBook {
  /** The dialog each INVITE (received or sent) created, early or confirmed. */
  readonly dialogOf: WeakMap<Request | ClientRequest, SipDialog>;
  readonly legs: B2buaLegs;
  /** Bind a dialog to this app and follow its end; `abandonEarly` ends it while it is early. */
  adopt(
    dialog: SipDialog,
    session: DialogSession | undefined,
    abandonEarly?: () => Promise<void>,
  ): void;
  /** Put the dialog in its session and write the session now. */
  store(dialog: SipDialog, session: DialogSession | undefined): void;
  announce(type: SipDialogEventName, dialog: SipDialog, req?: unknown, res?: unknown): void;
  /** Run bookkeeping that must never take the app down or lose the request. */
  guard(context: string, work: () => void): void;
}
