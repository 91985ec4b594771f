import type { CancelNotice, RequestNotice } from 'drachtio-protocol';
import { parseMessage, type SipRequest } from 'drachtio-sip';
import type { Application } from '../application';
import type { DialogLinks } from '../b2bua/dialog-links';
import type { EarlyDialogs } from '../dialogs/early-dialogs';
import { debugEnabled, type Logger } from '../logger';
import type { Agent } from '../wire/agent';
import { Request } from './request';
import { Response } from './response';
import { ServerInvites } from './server-invites';

/**
 * Turns the server's request and CANCEL notices into Request/Response pairs for the middleware,
 * and ties the ACK, PRACK and CANCEL of an INVITE this application answers to that INVITE.
 */
export class IncomingRequests {
  private readonly invites = new ServerInvites();

  constructor(
    private readonly app: Application,
    private readonly agent: Agent,
    private readonly earlyDialogs: EarlyDialogs,
    private readonly links: DialogLinks,
    private readonly log: {
      logger: Logger;
      report: (error: unknown, context: string) => void;
    },
  ) {}

  onRequest(notice: RequestNotice, sip: string): void {
    const msg = this.parse(sip, 'a request');
    if (!msg) {
      // The server parsed it first, so this is a bug somewhere; answer rather than leave the caller hanging.
      if (!notice.answered)
        this.agent
          .command('respond', { transactionId: notice.transactionId, status: 400 })
          .catch(() => undefined);
      return;
    }
    const req = new Request(this.app, notice, msg, sip);
    if (debugEnabled(this.log.logger)) {
      const { transactionId, dialogId, answered } = notice;
      this.log.logger.debug({ method: req.method, transactionId, dialogId, answered }, 'request');
    }
    req.res = new Response(this.app, req, notice.answered === true);
    switch (req.method) {
      case 'INVITE':
        this.invites.track(req, req.res);
        break;
      case 'ACK':
        this.invites.take(req.inviteTransactionId)?.emit('ack', req);
        break;
      case 'PRACK':
        this.onPrack(req);
        break;
      case 'BYE':
        if (req.dialogId !== undefined) this.links.ended(req.dialogId);
        break;
    }
    this.app.handle(req, req.res);
  }

  onCancel(notice: CancelNotice, sip: string): void {
    const invite = this.invites.take(notice.transactionId);
    if (!invite) return;
    invite.active = false;
    this.log.logger.debug({ transactionId: notice.transactionId }, 'CANCEL of an INVITE');
    const msg = this.parse(sip, 'a CANCEL');
    if (!msg) return;
    const cancel = new Request(
      this.app,
      { transactionId: notice.transactionId, source: notice.source, receivedAt: Date.now() },
      msg,
      sip,
    );
    cancel.res = new Response(this.app, cancel);
    invite.emit('cancel', cancel, cancel.res);
    this.app.handle(cancel, cancel.res);
  }

  clear(): void {
    this.invites.clear();
  }

  /** The server answered the PRACK (200) before telling us: the early dialog is up. */
  private onPrack(prack: Request): void {
    const invite = this.invites.find(prack.inviteTransactionId);
    if (!invite) return;
    const dialogId = prack.dialogId ?? invite.res.dialogId;
    if (dialogId !== undefined)
      this.earlyDialogs.began({
        role: 'uas',
        dialogId,
        callId: invite.callId,
        req: invite,
        res: invite.res,
        prack,
      });
    invite.emit('prack', prack, prack.res);
  }

  private parse(sip: string, what: string): SipRequest | undefined {
    try {
      return parseMessage(sip) as SipRequest;
    } catch (error) {
      this.log.report(error, `parsing ${what} from the server`);
      return undefined;
    }
  }
}
