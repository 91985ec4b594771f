import type { Request } from '../uas/request';

/**
 * What the application answers when its middleware and handlers all passed a request on
 * (called `next()` to the end) without responding. Documented in the README.
 *
 * - ACK and CANCEL: nothing (they are never answered; the server already answered CANCEL).
 * - BYE, PRACK, INFO, NOTIFY, OPTIONS, MESSAGE inside a dialog: 200 — the dialog goes on or ends normally.
 * - re-INVITE: 488 (nobody here can produce an answer SDP); UPDATE: 200 without a body, 488 with one.
 * - OPTIONS outside a dialog: 200, a keep-alive answer.
 * - anything else outside a dialog (INVITE, REGISTER, SUBSCRIBE, ...): 404.
 */
export function defaultStatus(req: Request): number | undefined {
  switch (req.method) {
    case 'ACK':
    case 'CANCEL':
      return undefined;
    case 'BYE':
    case 'PRACK':
    case 'OPTIONS':
      return 200;
    case 'INVITE':
      return req.dialogId === undefined ? 404 : 488;
    case 'UPDATE':
      return req.body ? 488 : 200;
    default:
      return req.dialogId === undefined ? 404 : 200;
  }
}
