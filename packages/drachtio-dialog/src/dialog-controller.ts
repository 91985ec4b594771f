/**
 * One app's dialogs: turns what the app sees (the INVITEs it answers, the responses to the
 * INVITEs it sends, in-dialog requests, the server's dialog notices, B2BUA pipes) into
 * SipDialogs and `sipdialog:*` events, and keeps them in the call's session so another
 * instance of the app can carry on after this one is gone.
 */
import {
  internalsOf,
  type Application,
  type ClientRequest,
  type EarlyDialog,
  type IncomingResponse,
  type NextFunction,
  type Request,
  type Response,
} from 'drachtio';
import type { DialogNotice, TerminationReason as WireTerminationReason } from 'drachtio-protocol';
import type { DialogBook } from './dialog-book';
import { uasDialog, targetOf } from './dialog-factory';
import { SipDialogEvent, type SipDialogEventName } from './dialog-event';
import type { DialogHost } from './dialog-host';
import { B2buaLegs } from './b2bua-legs';
import { LiveDialogs } from './live-dialogs';
import { deliverInDialog } from './in-dialog-requests';
import {
  dialogsIn,
  findInSession,
  removeFromSession,
  sessionOf,
  type DialogSession,
} from './session-dialogs';
import { SipDialog } from './sip-dialog';
import { TerminationReason } from './termination-reasons';
import { UacDialogs } from './uac-dialogs';

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

export class DialogController implements DialogBook {
  private readonly live: LiveDialogs<DialogSession | undefined>;
  /**
   * Dialogs that ended a moment ago. The server's notice that a dialog ended may overtake the
   * BYE that ended it; the BYE must still reach the same dialog object, and not revive the
   * stale copy of it that the call's session still holds.
   */
  private readonly ended = new LiveDialogs<DialogSession | undefined>(RECENTLY_ENDED_DIALOGS);
  private readonly adopted = new WeakSet<SipDialog>();
  readonly dialogOf = new WeakMap<Request | ClientRequest, SipDialog>();
  readonly legs: B2buaLegs;
  private readonly uac = new UacDialogs(this);
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
    this.legs = new B2buaLegs(
      app,
      (dialogId) => this.live.get(dialogId)?.dialog,
      (err, context) => this.report(err, context),
    );
    // Our 'sipdialog:create-early' carries a SipDialog, in place of the core's plain one.
    app.addHook('onEarlyDialog', (early) =>
      this.guard('early dialog', () => this.onEarlyDialog(early)),
    );
    app.use('response', (req: ClientRequest, res: IncomingResponse, next: NextFunction) => {
      this.guard('response', () => this.uac.onResponse(req, res));
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
    else this.uac.onEarly(early.req, early.res);
  }

  // ---- UAS: INVITEs we answer ----

  private watchUas(invite: Request, res: Response): void {
    invite.once('cancel', () =>
      this.guard('CANCEL', () => this.endEarly(invite, TerminationReason.canceled)),
    );
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
    this.adopt(
      dialog,
      sessionOf(invite),
      async () => void (res.headersSent || (await res.send(480, 'Temporarily Unavailable'))),
    );
    this.store(dialog, sessionOf(invite));
    this.announce('sipdialog:create-early', dialog, prack, prack.res);
  }

  private finalUas(invite: Request, res: Response): void {
    const status = res.statusCode ?? 0;
    const early = this.dialogOf.get(invite);
    const sent = res.msg;
    if (status < 200 || status >= 300 || res.dialogId === undefined || sent === undefined) {
      if (early)
        early.end(invite.active ? TerminationReason.callRejected : TerminationReason.canceled);
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
    setTimeout(
      () => this.guard('far end release', () => dialog.end(reason)),
      FAR_END_BYE_GRACE_MS,
    ).unref();
  }

  // ---- bookkeeping ----

  /** Bind a dialog to this app and follow its end. */
  adopt(
    dialog: SipDialog,
    session: DialogSession | undefined,
    abandonEarly?: () => Promise<void>,
  ): void {
    this.live.set(dialog, session);
    if (this.adopted.has(dialog)) return;
    this.adopted.add(dialog);
    dialog.attach(this.host, abandonEarly);
    dialog.once('terminate', (reason: string) =>
      this.guard('termination', () => this.onTerminated(dialog, reason)),
    );
    // Its SDP changed (re-INVITE, UPDATE, hold): the request's own save may already be done.
    dialog.on('modified', () =>
      this.guard('SDP change', () => this.store(dialog, this.live.get(dialog.id)?.session)),
    );
  }

  private onTerminated(dialog: SipDialog, reason: string): void {
    const session = this.live.get(dialog.id)?.session;
    this.live.delete(dialog.id);
    this.ended.set(dialog, session);
    removeFromSession(session, dialog.id);
    this.legs.ended(dialog);
    const cause = this.ending;
    this.app.emit(
      'sipdialog:terminate',
      new SipDialogEvent('sipdialog:terminate', dialog, session, reason, cause?.req, cause?.res),
    );
  }

  /** Put the dialog in its session and write the session now (the end of the request may be long gone). */
  store(dialog: SipDialog, session: DialogSession | undefined): void {
    if (!session) return;
    dialogsIn(session)[dialog.id] = dialog;
    session.save().catch((err: unknown) => this.report(err, `saving dialog ${dialog.id}`));
  }

  announce(type: SipDialogEventName, dialog: SipDialog, req?: unknown, res?: unknown): void {
    const session = this.live.get(dialog.id)?.session;
    this.app.emit(type, new SipDialogEvent(type, dialog, session, undefined, req, res));
  }

  /** A dialog bookkeeping failure must never take the app down or lose the request. */
  guard(context: string, work: () => void): void {
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
