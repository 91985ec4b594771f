/**
 * The INVITE usage as UAC (RFC 3261 13.2): early dialogs per fork, the dialog a 2xx confirms
 * and its ACK (by the engine when the INVITE had a body, else by the application), a 2xx from a
 * second fork ACKed and hung up, CANCEL (9.1) and the retry after a 422 (RFC 4028 7.4).
 */
import type { AckData } from 'drachtio-protocol';
import type { SipResponse } from 'drachtio-sip';
import { EngineError } from '../../engine-api';
import { newBranch } from '../../transaction/identifiers';
import type { Essentials } from '../../transaction/message-essentials';
import { writeRequest } from '../../transaction/outgoing-message';
import { addContentType, applicationHeaders, contactUri } from '../application-headers';
import type { ClientRequest } from '../client/client-request';
import type { ClientTransactions } from '../client/client-transactions';
import type { UserAgentCore } from '../core';
import type { Dialog } from '../dialog/dialog';
import { uacDialog, uacRouteSet } from '../dialog/dialog-setup';
import { headerKey } from 'drachtio-sip';
import { listsTag, typedHeader } from '../headers/typed-header';
import type { ReliableProvisionals } from '../reliable-provisional/reliable-provisionals';

/** What the INVITE usage makes of a response: the dialog it concerns, or `false` to drop it. */
export type InviteResponseOutcome = Dialog | undefined | false;

export interface InviteClientHost {
  sendInternal(dialog: Dialog, method: string, lines: string[]): void;
}

export class InviteClient {
  constructor(
    private readonly core: UserAgentCore,
    private readonly clients: ClientTransactions,
    private readonly reliable: ReliableProvisionals,
    private readonly host: InviteClientHost,
  ) {}

  /** Every response to an INVITE of ours, before the application hears of it. */
  response(
    request: ClientRequest,
    response: SipResponse,
    fields: Essentials,
  ): InviteResponseOutcome {
    const { status } = response;
    const invite = request.invite;
    if (!invite) return request.dialog;
    if (status > 100 && status < 200 && !request.dialog && fields.toTag) {
      const dialog = this.earlyDialog(request, response, fields);
      return this.reliable.isRetransmission(request, dialog, response) ? false : dialog;
    }
    if (status >= 200 && status < 300) {
      const answered = request.established;
      if (answered && answered.remoteTag === fields.toTag) {
        // A retransmission: the ACK (ours or the application's) goes out again.
        const ack = answered.invite.ackFor(request.parts.cseq);
        if (ack) this.sendToDialog(answered, ack);
        return false;
      }
      const dialog = this.confirmDialog(request, response, fields);
      if (request.parts.body && !request.owns.appOwnsAck)
        this.sendAck(request, dialog, [], undefined);
      return dialog;
    }
    if (status === 422 && this.retryWithLongerSession(request, response)) return false;
    if (status >= 300) {
      const reason = invite.canceled || status === 487 ? 'canceled' : 'call rejected';
      for (const early of invite.earlyForks()) this.core.dialogs.end(early, reason);
    }
    return request.dialog;
  }

  /** A provisional reached us: a CANCEL waiting for one goes now (RFC 3261 9.1). */
  provisional(request: ClientRequest): void {
    const pending = request.invite?.takePendingCancel();
    if (pending) this.clients.startCancel(request, pending);
  }

  /** The first final response: no CANCEL is sent any more; a re-INVITE releases its lock. */
  final(request: ClientRequest): void {
    request.invite?.takePendingCancel();
    request.dialog?.invite.endReinvite('uac');
  }

  /**
   * A final response after the first (a 2xx from another fork, or after a local 408 at
   * Timer C): a further answer is ACKed and hung up at once (RFC 3261 13.2.2.4).
   */
  lateAnswer(request: ClientRequest, dialog: Dialog | undefined, status: number): void {
    if (status >= 300 || !dialog || request.dialog) return;
    if (!dialog.invite.ackFor(request.parts.cseq)) this.sendAck(request, dialog, [], undefined);
    this.host.sendInternal(dialog, 'BYE', []);
    this.core.dialogs.end(dialog, 'call rejected');
  }

  /** The INVITE's transaction is over: early dialogs of forks that never answered end with it. */
  ended(request: ClientRequest): void {
    request.dialog?.invite.endReinvite('uac');
    for (const early of request.invite?.earlyForks() ?? [])
      this.core.dialogs.end(early, 'call rejected');
  }

  /** The application's ACK for a 2xx to an INVITE it sent without a body. */
  ack(request: ClientRequest, data: AckData): Buffer {
    const dialog = request.established;
    if (!dialog) throw new EngineError('invalid-state', 'no 2xx has been received for this INVITE');
    const sent = dialog.invite.ackFor(request.parts.cseq);
    if (sent) return sent;
    const headers = applicationHeaders(this.core.logger, data.headers, 'dialog');
    addContentType(headers, data.body);
    const wire = this.sendAck(request, dialog, headers.lines, data.body);
    dialog.sentSdp(data.body);
    return wire;
  }

  /** RFC 3261 9.1: same branch, Request-URI, Call-ID, From, To and CSeq number as the INVITE. */
  cancel(request: ClientRequest, lines: readonly string[]): Buffer {
    const wire = writeRequest({
      ...request.parts,
      method: 'CANCEL',
      headers: lines,
      body: undefined,
    });
    request.invite?.cancel(wire, request.provisionalReceived);
    if (request.provisionalReceived) this.clients.startCancel(request, wire);
    return wire;
  }

  /** A 2xx retransmitted after its transaction ended: ACK it again (RFC 3261 13.2.2.4). */
  strayAnswer(fields: Essentials): void {
    const dialog = this.core.dialogs.find(fields.callId, fields.fromTag, fields.toTag);
    const ack = dialog?.invite.ackFor(fields.cseq.seq);
    if (dialog && ack) this.sendToDialog(dialog, ack);
  }

  /** The ACK for a 2xx: a request of its own, sent in the dialog (RFC 3261 13.2.2.4). */
  private sendAck(
    request: ClientRequest,
    dialog: Dialog,
    lines: readonly string[],
    body: string | undefined,
  ): Buffer {
    const wire = writeRequest({
      method: 'ACK',
      uri: dialog.remoteTarget,
      via: this.core.transport.viaFor(request.destination, newBranch()),
      from: dialog.localUri,
      to: dialog.remoteUri,
      callId: dialog.callId,
      cseq: request.parts.cseq,
      routes: dialog.routeSet,
      headers: lines,
      body,
    });
    dialog.invite.ackSent(request.parts.cseq, wire);
    this.sendToDialog(dialog, wire);
    return wire;
  }

  private sendToDialog(dialog: Dialog, wire: Buffer): void {
    this.core.outbound.resolver.first(dialog.nextHop, dialog.transport).then(
      (destination) => this.core.transport.send(wire, destination, dialog.connection),
      (error: unknown) =>
        this.core.logger.info({ err: error, dialogId: dialog.id }, 'cannot reach the dialog peer'),
    );
  }

  private earlyDialog(request: ClientRequest, response: SipResponse, fields: Essentials): Dialog {
    const invite = request.invite;
    let dialog = invite?.fork(fields.toTag);
    if (!dialog) {
      dialog = this.createDialog(request, response, fields);
      invite?.addFork(dialog);
      this.core.dialogs.announce(dialog, 'early');
    }
    return dialog;
  }

  private confirmDialog(request: ClientRequest, response: SipResponse, fields: Essentials): Dialog {
    let dialog = request.dialog ?? request.invite?.fork(fields.toTag);
    if (!dialog) {
      dialog = this.createDialog(request, response, fields);
      request.invite?.addFork(dialog);
    } else {
      dialog.refreshTarget(contactUri(response));
    }
    // RFC 3261 12.1.2: the route set is fixed by the 2xx, not by provisional responses.
    if (!request.dialog) dialog.fixRouteSet(uacRouteSet(response));
    dialog.peerAllowed(listsTag(typedHeader(response, 'allow'), 'update'));
    request.established = dialog;
    if (dialog.state !== 'confirmed') {
      dialog.confirm();
      this.core.dialogs.announce(dialog, 'confirmed');
    }
    return dialog;
  }

  private createDialog(request: ClientRequest, response: SipResponse, fields: Essentials): Dialog {
    const via = { transport: request.destination.transport, connection: request.connection };
    const dialog = uacDialog(request.parts, response, fields, via, request.id);
    this.core.dialogs.add(dialog);
    return dialog;
  }

  /**
   * RFC 4028 7.4: a 422 to our INVITE is retried at once with the Min-SE it asks for (once),
   * under the same transaction id, so the application only sees the outcome of the retry.
   */
  private retryWithLongerSession(request: ClientRequest, response: SipResponse): boolean {
    const minSE = typedHeader(response, 'min-se')?.delta;
    if (request.invite?.retried || request.dialog || !minSE) return false;
    request.invite?.markRetried();
    const headers = (request.parts.headers ?? []).filter(
      (line) => !SESSION_HEADERS.has(lineKey(line)),
    );
    headers.push(`Session-Expires: ${minSE}`, `Min-SE: ${minSE}`);
    this.clients.restart(request, headers);
    return true;
  }
}

/** The headers a 422 retry writes anew ('x' is Session-Expires' compact form). */
const SESSION_HEADERS: ReadonlySet<string> = new Set(['session-expires', 'min-se']);

function lineKey(line: string): string {
  return headerKey(line.slice(0, line.indexOf(':')).trim());
}
