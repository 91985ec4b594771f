/**
 * One app's dialogs: turns what the app sees (the INVITEs it answers, the responses to the
 * INVITEs it sends, in-dialog requests, the server's dialog notices, B2BUA pipes) into
 * SipDialogs and `sipdialog:*` events, and keeps them in the call's session so another
 * instance of the app can carry on after this one is gone.
 */
import { internalsOf, type Application, type ClientRequest, type EarlyDialog, type IncomingResponse, type NextFunction, type Request, type Response } from 'drachtio';
import type { DialogNotice, TerminationReason as WireTerminationReason } from 'drachtio-protocol';
import { uacDialog, uasDialog, targetOf, type MessageView } from './dialog-factory';
import { SipDialogEvent, type SipDialogEventName } from './dialog-event';
import type { DialogHost } from './dialog-host';
import { B2buaLegs } from './b2bua-legs';
import { LiveDialogs } from './live-dialogs';
import { deliverInDialog } from './in-dialog-requests';
import { dialogsIn, findInSession, removeFromSession, sessionOf, type DialogSession } from './session-dialogs';
import { SipDialog } from './sip-dialog';
import { TerminationReason } from './termination-reasons';

export interface DialogControllerOptions {
  /** Most dialogs this process tracks in memory at once. */
  maxLiveDialogs?: number;
}

const RECENTLY_ENDED_DIALOGS = 10_000;
/**
 * The server tells us a dialog ended on the far end's BYE, and hands us that BYE a moment
 * later: the dialog ends with the BYE (so its 'bye' event comes first and the terminate event
 * carries it), or after this long should the BYE never come.
 */
const FAR_END_BYE_GRACE_MS = 2_000;

export class DialogController {
  private readonly live: LiveDialogs<DialogSession | undefined>;
  /**
   * Dialogs that ended a moment ago. The server's notice that a dialog ended may overtake the
   * BYE that ended it; the BYE must still reach the same dialog object, and not revive the
   * stale copy of it that the call's session still holds.
   */
  private readonly ended = new LiveDialogs<DialogSession | undefined>(RECENTLY_ENDED_DIALOGS);
  private readonly adopted = new WeakSet<SipDialog>();
  /** The dialog each INVITE (received or sent) created, early or confirmed. */
  private readonly dialogOf = new WeakMap<Request | ClientRequest, SipDialog>();
  private readonly legs: B2buaLegs;
  /** When each INVITE we sent was first answered: the closest we see to when it was sent. */
  private readonly firstAnswerAt = new WeakMap<ClientRequest, Date>();
  private readonly host: DialogHost;
  /** The request that is ending a dialog right now, for the terminate event. */
  private ending: { req: Request; res: Response } | undefined;

  constructor(
    private readonly app: Application,
    options: DialogControllerOptions = {},
  ) {
    this.live = new LiveDialogs(options.maxLiveDialogs);
    this.host = { request: (request) => app.request(request) };
    app.addHook('onDialog', (notice) => this.guard('dialog notice', () => this.onNotice(notice)));
    this.legs = new B2buaLegs(app, (dialogId) => this.live.get(dialogId)?.dialog, (err, context) => this.report(err, context));
    // Our 'sipdialog:create-early' carries a SipDialog, in place of the core's plain one.
    app.addHook('onEarlyDialog', (early) => this.guard('early dialog', () => this.onEarlyDialog(early)));
    app.use('response', (req: ClientRequest, res: IncomingResponse, next: NextFunction) => {
      this.guard('response', () => this.onResponse(req, res));
      next();
    });
  }

  /** Called by the middleware for every request the app receives. */
  onRequest(req: Request, res: Response): void {
    this.guard(`${req.method} request`, () => {
      if (req.dialogId !== undefined) this.onInDialogRequest(req, res);
      else if (req.method === 'INVITE') this.watchUas(req, res);
    });
  }

  /** Our reliable 1xx was PRACKed, or a reliable 1xx to our INVITE arrived. */
  private onEarlyDialog(early: EarlyDialog): void {
    if (early.role === 'uas') this.earlyUas(early.req, early.res, early.prack);
    else if (early.req.dialogId === undefined && !this.dialogOf.has(early.req) && early.req.msg !== undefined) {
      this.createUac(early.req, early.res, 'early');
    }
  }

  // ---- UAS: INVITEs we answer ----

  private watchUas(invite: Request, res: Response): void {
    invite.once('cancel', () => this.guard('CANCEL', () => this.endEarly(invite, TerminationReason.canceled)));
    res.once('finish', () => this.guard('final response', () => this.finalUas(invite, res)));
  }

  /** A reliable provisional response was PRACKed: the early dialog is established. */
  private earlyUas(invite: Request, res: Response, prack: Request): void {
    if (this.dialogOf.has(invite)) return;
    const dialogId = res.dialogId ?? prack.dialogId;
    const sent = res.msg;
    if (dialogId === undefined || sent === undefined) return;
    const dialog = uasDialog({
      dialogId,
      state: 'early',
      invite: invite.msg,
      response: sent,
      receivedAt: new Date(invite.receivedAt),
      at: new Date(),
    });
    this.dialogOf.set(invite, dialog);
    // An early UAS dialog is abandoned with a final error response to its INVITE.
    this.adopt(dialog, sessionOf(invite), async () => void (res.headersSent || (await res.send(480, 'Temporarily Unavailable'))));
    this.store(dialog, sessionOf(invite));
    this.announce('sipdialog:create-early', dialog, prack, prack.res);
  }

  private finalUas(invite: Request, res: Response): void {
    const status = res.statusCode ?? 0;
    const early = this.dialogOf.get(invite);
    const sent = res.msg;
    if (status < 200 || status >= 300 || res.dialogId === undefined || sent === undefined) {
      if (early) early.end(invite.active ? TerminationReason.callRejected : TerminationReason.canceled);
      return;
    }
    const session = sessionOf(invite);
    let dialog: SipDialog;
    if (early && early.id === res.dialogId) {
      dialog = early;
      dialog.confirm(new Date(), { local: targetOf(sent) });
    } else {
      dialog = uasDialog({
        dialogId: res.dialogId,
        state: 'confirmed',
        invite: invite.msg,
        response: sent,
        receivedAt: new Date(invite.receivedAt),
        at: new Date(),
      });
      this.dialogOf.set(invite, dialog);
      this.adopt(dialog, session);
    }
    const uac = this.legs.calleeOf(invite);
    if (uac) this.legs.join(dialog, this.dialogOf.get(uac));
    this.store(dialog, session);
    this.announce('sipdialog:create', dialog, invite, res);
  }

  private endEarly(invite: Request, reason: WireTerminationReason): void {
    this.dialogOf.get(invite)?.end(reason);
  }

  // ---- UAC: INVITEs we send ----

  private onResponse(req: ClientRequest, res: IncomingResponse): void {
    // A re-INVITE inside a dialog is followed by the SipDialog that sent it.
    if (req.method !== 'INVITE' || req.dialogId !== undefined) return;
    if (!this.firstAnswerAt.has(req)) this.firstAnswerAt.set(req, new Date(res.receivedAt));
    if (res.dialogId === undefined || req.msg === undefined) return;
    const existing = this.dialogOf.get(req);
    if (res.status < 200) return;
    if (res.status >= 300) {
      existing?.end(TerminationReason.callRejected);
      return;
    }
    if (existing?.state === 'early' && existing.id === res.dialogId) {
      existing.confirm(new Date(res.receivedAt), { remote: targetOf(res) });
      this.announceUacConfirmed(existing, req, res);
    } else if (!existing) {
      this.announceUacConfirmed(this.createUac(req, res, 'confirmed'), req, res);
    }
  }

  private createUac(req: ClientRequest, res: IncomingResponse, state: 'early' | 'confirmed'): SipDialog {
    const dialog = uacDialog({
      dialogId: res.dialogId as string,
      state,
      invite: req.msg as MessageView,
      response: res,
      sentAt: this.firstAnswerAt.get(req) ?? new Date(res.receivedAt),
      at: new Date(res.receivedAt),
    });
    this.dialogOf.set(req, dialog);
    const session = this.sessionOfUac(req);
    this.adopt(dialog, session, () => new Promise((resolve) => req.cancelRequest(() => resolve())));
    this.store(dialog, session);
    if (state === 'early') this.announce('sipdialog:create-early', dialog, req, res);
    return dialog;
  }

  /**
   * Announce a confirmed UAC dialog. An INVITE sent without SDP (late offer) gets the offer in
   * the 2xx and our answer goes in the ACK the application sends: such a dialog is announced
   * when that ACK goes out, with our SDP in it.
   */
  private announceUacConfirmed(dialog: SipDialog, req: ClientRequest, res: IncomingResponse): void {
    const uas = this.legs.callerOf(req);
    if (uas) this.legs.join(this.dialogOf.get(uas), dialog);
    if (req.body) {
      this.announce('sipdialog:create', dialog, req, res);
      return;
    }
    const ack = res.ack.bind(res);
    res.ack = (options = {}, callback) => {
      if (options.body) dialog.local.sdp = options.body;
      this.store(dialog, this.sessionOfUac(req));
      this.announce('sipdialog:create', dialog, req, res);
      return ack(options, callback);
    };
  }

  private sessionOfUac(req: ClientRequest): DialogSession | undefined {
    const uas = this.legs.callerOf(req);
    return uas ? sessionOf(uas) : undefined;
  }

  // ---- requests inside a dialog ----

  private onInDialogRequest(req: Request, res: Response): void {
    const session = sessionOf(req);
    const ended = this.ended.get(req.dialogId as string)?.dialog;
    if (ended) {
      req.dialog = ended;
      removeFromSession(session, ended.id);
      ended.emit(SipDialog.eventFor(req.method), req, res);
      return;
    }
    const dialog = this.find(req.dialogId as string, session);
    if (!dialog || dialog.state === 'terminated') return;
    req.dialog = dialog;
    // From now on the dialog is saved with this request's session, but only if that session
    // already holds it: one loaded before the dialog was stored (the ACK of the very 2xx that
    // created it, say) is stale, and writing it back would undo what was saved meanwhile.
    if (findInSession(session, dialog.id)) {
      dialogsIn(session as DialogSession)[dialog.id] = dialog;
      this.live.set(dialog, session);
    }

    if (req.method !== 'BYE') {
      deliverInDialog(dialog, req, res, (context, work) => this.guard(context, work));
      return;
    }
    dialog.emit('bye', req, res);
    this.ending = { req, res };
    try {
      dialog.end(TerminationReason.farEndRelease);
    } finally {
      this.ending = undefined;
    }
  }

  /** A dialog by id: the one in memory, or else the one stored in the call's session (failover). */
  private find(dialogId: string, session: DialogSession | undefined): SipDialog | undefined {
    const live = this.live.get(dialogId)?.dialog;
    if (live) return live;
    const stored = findInSession(session, dialogId);
    if (!(stored instanceof SipDialog) || stored.state === 'terminated') return undefined;
    this.adopt(stored, session);
    this.relinkAfterFailover(stored, session);
    return stored;
  }

  /** The other leg of a B2BUA, when `dialog` was stored by a process that died. */
  private relinkAfterFailover(dialog: SipDialog, session: DialogSession | undefined): void {
    if (dialog.peerId === undefined) return;
    const peer = this.live.get(dialog.peerId)?.dialog ?? findInSession(session, dialog.peerId);
    if (!(peer instanceof SipDialog) || peer.state === 'terminated') return;
    this.adopt(peer, session);
    this.legs.relink(dialog, peer);
  }

  // ---- the server's dialog notices ----

  private onNotice(notice: DialogNotice): void {
    if (notice.event !== 'terminated') return;
    const dialog = this.live.get(notice.dialogId)?.dialog;
    if (!dialog) return;
    const reason = notice.reason;
    if (reason !== TerminationReason.farEndRelease) {
      dialog.end(reason);
      return;
    }
    setTimeout(() => this.guard('far end release', () => dialog.end(reason)), FAR_END_BYE_GRACE_MS).unref();
  }

  // ---- bookkeeping ----

  /** Bind a dialog to this app and follow its end. */
  private adopt(dialog: SipDialog, session: DialogSession | undefined, abandonEarly?: () => Promise<void>): void {
    this.live.set(dialog, session);
    if (this.adopted.has(dialog)) return;
    this.adopted.add(dialog);
    dialog.attach(this.host, abandonEarly);
    dialog.once('terminate', (reason: string) => this.guard('termination', () => this.onTerminated(dialog, reason)));
    // Its SDP changed (re-INVITE, UPDATE, hold): the request's own save may already be done.
    dialog.on('modified', () => this.guard('SDP change', () => this.store(dialog, this.live.get(dialog.id)?.session)));
  }

  private onTerminated(dialog: SipDialog, reason: string): void {
    const session = this.live.get(dialog.id)?.session;
    this.live.delete(dialog.id);
    this.ended.set(dialog, session);
    removeFromSession(session, dialog.id);
    this.legs.ended(dialog);
    const cause = this.ending;
    this.app.emit('sipdialog:terminate', new SipDialogEvent('sipdialog:terminate', dialog, session, reason, cause?.req, cause?.res));
  }

  /** Put the dialog in its session and write the session now (the end of the request may be long gone). */
  private store(dialog: SipDialog, session: DialogSession | undefined): void {
    if (!session) return;
    dialogsIn(session)[dialog.id] = dialog;
    session.save().catch((err: unknown) => this.report(err, `saving dialog ${dialog.id}`));
  }

  private announce(type: SipDialogEventName, dialog: SipDialog, req?: unknown, res?: unknown): void {
    const session = this.live.get(dialog.id)?.session;
    this.app.emit(type, new SipDialogEvent(type, dialog, session, undefined, req, res));
  }

  /** A dialog bookkeeping failure must never take the app down or lose the request. */
  private guard(context: string, work: () => void): void {
    try {
      work();
    } catch (err) {
      this.report(err, context);
    }
  }

  private report(err: unknown, context: string): void {
    const error = err instanceof Error ? err : new Error(String(err));
    internalsOf(this.app).reportError(error, `drachtio-dialog: ${context}`);
  }
}
