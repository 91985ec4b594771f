import type { DialogNotice } from 'drachtio-protocol';
import type { EngineCancel, EngineRequest } from '../engine-api';
import type { AppConnection } from './app-connection';
import type { ControlContext } from './context';

/**
 * The engine-to-application direction: each request, CANCEL and dialog change the engine
 * reports is delivered to the one connection that owns it, or answered here when none can.
 */
export class EngineEventRouter {
  constructor(private readonly context: ControlContext) {}

  onRequest(request: EngineRequest): void {
    const { affinity } = this.context;
    const owner = this.ownerOf(request);
    if (!owner) return this.answerUnowned(request);
    // An ACK owes nothing and has no transaction of its own to route anything else by.
    if (request.method !== 'ACK')
      affinity.addServerTransaction(request.transactionId, owner, request.callId);
    owner.notify(
      'request',
      {
        transactionId: request.transactionId,
        dialogId: request.dialogId,
        inviteTransactionId: request.inviteTransactionId,
        answered: request.answered,
        source: request.source,
        receivedAt: request.receivedAt,
      },
      request.raw,
    );
  }

  onCancel(cancel: EngineCancel): void {
    const { affinity } = this.context;
    const owner = affinity.serverTransactionOwner(cancel.transactionId);
    // The engine already sent 487: the application owes nothing more.
    affinity.responded(cancel.transactionId, 487);
    if (owner?.isOpen)
      owner.notify(
        'cancel',
        { transactionId: cancel.transactionId, source: cancel.source },
        cancel.raw,
      );
  }

  onDialog(notice: DialogNotice): void {
    const { affinity } = this.context;
    const owner = affinity.hasDialog(notice.dialogId)
      ? affinity.dialogOwner(notice.dialogId)
      : affinity.ownerOfCall(notice.callId);
    if (notice.event === 'terminated') affinity.endDialog(notice.dialogId);
    else if (owner && !affinity.hasDialog(notice.dialogId))
      affinity.setDialogOwner(notice.dialogId, owner);
    if (owner) owner.notify('dialog', notice);
    else this.context.logger.debug({ notice }, 'dialog notice for no connected application');
  }

  onTransactionEnd(transactionId: string): void {
    this.context.affinity.endTransaction(transactionId);
  }

  private ownerOf(request: EngineRequest): AppConnection | undefined {
    const { affinity, routes, accepting } = this.context;
    if (request.dialogId) return affinity.dialogOwner(request.dialogId);
    if (request.inviteTransactionId) {
      const owner = affinity.serverTransactionOwner(request.inviteTransactionId);
      return owner?.isOpen ? owner : undefined;
    }
    return accepting ? routes.next(request.method.toUpperCase()) : undefined;
  }

  private answerUnowned(request: EngineRequest): void {
    const { options, logger } = this.context;
    if (request.method === 'ACK')
      return logger.debug(
        { transactionId: request.transactionId },
        'ACK for no connected application; dropped',
      );
    const inDialog = request.dialogId !== undefined || request.inviteTransactionId !== undefined;
    const { accepting, retryAfter } = this.context;
    let status: number;
    let headers: { 'Retry-After': number } | undefined;
    if (inDialog) status = request.method === 'INVITE' ? 480 : 481;
    else if (!accepting) {
      // Draining: 503 whatever noAppStatus says, and when to come back, so a load balancer moves on.
      status = 503;
      if (retryAfter !== undefined) headers = { 'Retry-After': retryAfter };
    } else if (request.method === 'OPTIONS' && options.autoAnswerOptions) status = 200;
    else status = options.noAppStatus;
    logger.info(
      { method: request.method, callId: request.callId, status, inDialog },
      'no application for request',
    );
    this.context.engine
      .respond({ transactionId: request.transactionId, status, headers })
      .catch((err: Error) =>
        logger.warn({ err, transactionId: request.transactionId }, 'could not answer request'),
      );
  }
}
