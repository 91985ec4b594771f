import type { Request } from '../uas/request';
import type { Response } from '../uas/response';
import { defaultStatus } from './defaults';

/**
 * The end of the stack, as express's finalhandler: an error nobody answered gets a 500 (and is
 * reported), a request everybody passed on gets its default answer (see defaults.ts). A request
 * that is already answered (by the app, or by the server: PRACK) or takes no answer gets none.
 */
export function finalHandler(
  req: Request,
  res: Response,
  err: unknown,
  report: (error: unknown, context: string) => void,
): void {
  // A canceled INVITE was answered 487 by the server.
  const answerable =
    req.method !== 'ACK' && req.method !== 'CANCEL' && !res.headersSent && req.active;
  if (err !== undefined) {
    report(err, `handling ${req.method}`);
    if (answerable) res.send(500);
    return;
  }
  const status = defaultStatus(req);
  if (!answerable || status === undefined) return;
  res.send(status, (sendError) => {
    if (sendError) report(sendError, `answering ${req.method} by default`);
  });
}
