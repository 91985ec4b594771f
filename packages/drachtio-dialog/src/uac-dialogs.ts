/**
 * The dialogs of the INVITEs an app sends: early on a reliable 1xx (the core's onEarlyDialog
 * hook), confirmed on the 2xx (seen through 'response' middleware), ended by a failure.
 */
import type { ClientRequest, IncomingResponse } from 'drachtio';
import type { DialogBook } from './dialog-book';
import { targetOf, uacDialog, type MessageView } from './dialog-factory';
import { sessionOf, type DialogSession } from './session-dialogs';
import type { SipDialog } from './sip-dialog';
import { TerminationReason } from './termination-reasons';

export class UacDialogs {
  /** When each INVITE we sent was first answered: the closest we see to when it was sent. */
  private readonly firstAnswerAt = new WeakMap<ClientRequest, Date>();

  constructor(private readonly book: DialogBook) {}

  /** A reliable 1xx created an early dialog (the first one, should the INVITE fork). */
  onEarly(req: ClientRequest, res: IncomingResponse): void {
    if (req.dialogId !== undefined || req.msg === undefined || this.book.dialogOf.has(req)) return;
    this.create(req, res, 'early');
  }

  onResponse(req: ClientRequest, res: IncomingResponse): void {
    // A re-INVITE inside a dialog is followed by the SipDialog that sent it.
    if (req.method !== 'INVITE' || req.dialogId !== undefined) return;
    if (!this.firstAnswerAt.has(req)) this.firstAnswerAt.set(req, new Date(res.receivedAt));
    if (res.status < 200 || res.dialogId === undefined || req.msg === undefined) return;
    const existing = this.book.dialogOf.get(req);
    if (res.status >= 300) {
      existing?.end(TerminationReason.callRejected);
      return;
    }
    if (existing?.state === 'early' && existing.id === res.dialogId) {
      existing.confirm(new Date(res.receivedAt), { remote: targetOf(res) });
      this.announceConfirmed(existing, req, res);
    } else if (!existing) {
      this.announceConfirmed(this.create(req, res, 'confirmed'), req, res);
    }
  }

  private create(
    req: ClientRequest,
    res: IncomingResponse,
    state: 'early' | 'confirmed',
  ): SipDialog {
    const dialog = uacDialog({
      dialogId: res.dialogId as string,
      state,
      invite: req.msg as MessageView,
      response: res,
      sentAt: this.firstAnswerAt.get(req) ?? new Date(res.receivedAt),
      at: new Date(res.receivedAt),
    });
    this.book.dialogOf.set(req, dialog);
    const session = this.sessionOf(req);
    this.book.adopt(
      dialog,
      session,
      () => new Promise((resolve) => req.cancelRequest(() => resolve())),
    );
    this.book.store(dialog, session);
    if (state === 'early') this.book.announce('sipdialog:create-early', dialog, req, res);
    return dialog;
  }

  /**
   * Announce a confirmed UAC dialog. An INVITE sent without SDP (late offer) gets the offer in
   * the 2xx and our answer goes in the ACK the application sends: such a dialog is announced
   * when that ACK goes out, with our SDP in it.
   */
  private announceConfirmed(dialog: SipDialog, req: ClientRequest, res: IncomingResponse): void {
    const uas = this.book.legs.callerOf(req);
    if (uas) this.book.legs.join(this.book.dialogOf.get(uas), dialog);
    if (req.body) {
      this.book.announce('sipdialog:create', dialog, req, res);
      return;
    }
    const ack = res.ack.bind(res);
    res.ack = (options = {}, callback) => {
      if (options.body) dialog.local.sdp = options.body;
      this.book.store(dialog, this.sessionOf(req));
      this.book.announce('sipdialog:create', dialog, req, res);
      return ack(options, callback);
    };
  }

  /** A B leg shares the session of the call it was piped from. */
  private sessionOf(req: ClientRequest): DialogSession | undefined {
    const uas = this.book.legs.callerOf(req);
    return uas ? sessionOf(uas) : undefined;
  }
}
