/**
 * The reliable-provisional usage (RFC 3262), pjsip's 100rel as a module attached to the INVITE
 * usage. As UAS: a provisional the application sends with Require: 100rel gets an RSeq and goes
 * out again until its PRACK (3), which the engine answers itself. As UAC: a reliable provisional
 * to an INVITE that offered 100rel is PRACKed once; a retransmission of it is dropped (4).
 */
import type { SipResponse } from 'drachtio-sip';
import type { ClientRequest } from '../client/client-request';
import type { UserAgentCore } from '../core';
import type { Dialog } from '../dialog/dialog';
import { hasOptionTag, type HeaderList } from '../headers/header-list';
import { listsTag, typedHeader } from '../headers/typed-header';
import type { Rejection } from '../server/request-checks';
import type { ServerRequest } from '../server/server-request';

export interface ReliableProvisionalHost {
  sendInternal(dialog: Dialog, method: string, lines: string[]): void;
}

export class ReliableProvisionals {
  constructor(
    private readonly core: UserAgentCore,
    private readonly host: ReliableProvisionalHost,
  ) {}

  /**
   * UAS: whether the application's provisional is to be sent reliably; if so its RSeq header
   * is added to `headers` and the RSeq returned.
   */
  prepare(status: number, dialog: Dialog | undefined, headers: HeaderList): number | undefined {
    if (status <= 100 || status >= 200 || !dialog) return undefined;
    if (!hasOptionTag(headers.values.get('require'), '100rel')) return undefined;
    const rseq = dialog.provisionals.nextLocal();
    headers.lines.push(`RSeq: ${rseq}`);
    return rseq;
  }

  /** UAS, RFC 3262 3: the provisional goes out again (T1, doubling) until its PRACK. */
  retransmitUntilPrack(request: ServerRequest, dialog: Dialog, rseq: number, wire: Buffer): void {
    const { timers, logger } = this.core;
    const retransmitter = request.retransmit(wire, timers, 32 * timers.t1, () => {
      dialog.provisionals.gaveUp(rseq);
      logger.info({ dialogId: dialog.id, rseq }, 'reliable provisional never PRACKed');
      // RFC 3262 3: the UAS then rejects the INVITE with a 5xx.
      if (!request.open) return;
      request.answerLocally({
        status: 500,
        reason: 'Server Internal Error - provisional response not acknowledged',
      });
      if (dialog.state === 'early') this.core.dialogs.end(dialog, 'call rejected');
    });
    dialog.provisionals.awaitPrack(rseq, retransmitter);
  }

  /** UAS: a PRACK stops its provisional's retransmission; the engine answers it (200 or an error). */
  receivePrack(request: ServerRequest, dialog: Dialog): Rejection {
    let rseq: number | undefined;
    try {
      rseq = request.open?.request.get('rack')?.rseq;
    } catch {
      rseq = undefined;
    }
    if (rseq === undefined) return { status: 400, reason: 'Bad Request - missing or invalid RAck' };
    return dialog.provisionals.prackReceived(rseq) ? { status: 200 } : { status: 481 };
  }

  /** UAC, RFC 3262 4: PRACK a reliable provisional once; true when it is a retransmission to drop. */
  isRetransmission(request: ClientRequest, dialog: Dialog, response: SipResponse): boolean {
    if (!listsTag(typedHeader(response, 'require'), '100rel')) return false;
    const rseq = typedHeader(response, 'rseq');
    if (rseq === undefined || rseq <= 0) return false;
    if (!dialog.provisionals.acceptRemote(rseq)) return true;
    if (request.offered100rel && !request.owns.appOwnsPrack)
      this.host.sendInternal(dialog, 'PRACK', [`RAck: ${rseq} ${request.parts.cseq} INVITE`]);
    return false;
  }
}
