/**
 * Where dialogs live in the session: one map, id -> SipDialog, under a key of its own, so that
 * both legs of a B2BUA (which share one session) are found by any instance of the app.
 */
import type { SipDialog } from './sip-dialog';

/** The session drachtio-session puts on `req.session`; only `save` is needed here. */
export interface DialogSession {
  save(): Promise<void>;
}

/** The session of a request, once drachtio-session loaded it. */
export function sessionOf(req: object): DialogSession | undefined {
  return (req as { session?: DialogSession }).session;
}

export const SESSION_KEY = 'sipDialogs';

type SessionBag = Record<string, unknown>;

export function dialogsIn(session: object): Record<string, SipDialog> {
  const bag = session as SessionBag;
  const existing = bag[SESSION_KEY];
  if (existing !== null && typeof existing === 'object')
    return existing as Record<string, SipDialog>;
  const created: Record<string, SipDialog> = {};
  bag[SESSION_KEY] = created;
  return created;
}

export function findInSession(
  session: object | undefined,
  dialogId: string,
): SipDialog | undefined {
  if (!session) return undefined;
  const dialogs = (session as SessionBag)[SESSION_KEY] as Record<string, SipDialog> | undefined;
  return dialogs?.[dialogId];
}

export function removeFromSession(session: object | undefined, dialogId: string): void {
  if (!session) return;
  const dialogs = (session as SessionBag)[SESSION_KEY] as Record<string, SipDialog> | undefined;
  if (dialogs) delete dialogs[dialogId];
}
