/**
 * What `app.on('sipdialog:*', e => ...)` receives: the dialog as `e.target`, the session it is
 * stored in, and for a termination the reason (see termination-reasons.ts).
 */
import type { SipDialog } from './sip-dialog';

export type SipDialogEventName =
  'sipdialog:create' | 'sipdialog:create-early' | 'sipdialog:terminate';

export class SipDialogEvent<S = unknown, Req = unknown, Res = unknown> {
  constructor(
    readonly type: SipDialogEventName,
    readonly target: SipDialog,
    /** The session of the call (undefined when the call has none, e.g. a UAC call outside any request). */
    readonly session: S | undefined,
    /** For 'sipdialog:terminate'. */
    readonly reason?: string,
    /** The request that caused the event, when one did (the BYE, the PRACK, ...). */
    readonly req?: Req,
    readonly res?: Res,
  ) {}
}
