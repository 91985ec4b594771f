import type { Request, Response } from 'drachtio';
import { targetOf } from './dialog-factory';
import { SipDialog } from './sip-dialog';

/**
 * A request from the far end inside a live dialog (but BYE, which ends it) becomes the dialog's
 * event ('reinvite', 'info', 'ack', ...); on the way, an answered re-INVITE or UPDATE and the ACK
 * of an offerless re-INVITE update the dialog's SDPs.
 */
export function deliverInDialog(
  dialog: SipDialog,
  req: Request,
  res: Response,
  guard: (context: string, work: () => void) => void,
): void {
  if (req.method === 'INVITE' || req.method === 'UPDATE') {
    res.once('finish', () => guard('re-INVITE answer', () => learnOfferAnswer(dialog, req, res)));
  } else if (req.method === 'ACK' && targetOf(req.msg).sdp !== undefined) {
    // The ACK of a re-INVITE that carried no offer carries the far end's answer.
    dialog.remote.sdp = req.body;
    dialog.emit('modified');
  }
  dialog.emit(SipDialog.eventFor(req.method), req, res);
}

/**
 * A re-INVITE or UPDATE from the far end was answered: on a 2xx, the offer and the answer are
 * the new SDPs, and an offer that stops (or resumes) sending to us is the far end's hold (unhold).
 */
function learnOfferAnswer(dialog: SipDialog, req: Request, res: Response): void {
  const status = res.statusCode ?? 0;
  if (status < 200 || status >= 300) return;
  const wasHeld = dialog.heldByFarEnd;
  const offer = targetOf(req.msg).sdp;
  if (offer !== undefined) dialog.remote.sdp = offer;
  const answer = res.msg ? targetOf(res.msg).sdp : undefined;
  if (answer !== undefined) dialog.local.sdp = answer;
  if (offer === undefined && answer === undefined) return;
  dialog.emit('modified');
  if (dialog.heldByFarEnd !== wasHeld) dialog.emit(wasHeld ? 'unhold' : 'hold', req, res);
}
