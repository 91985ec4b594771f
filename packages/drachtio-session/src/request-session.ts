/**
 * The session of one incoming request, from load to the moment the request is done: it is
 * saved after the final response (or, for ACK and CANCEL, which get none, once the handlers
 * have run), a BYE that was answered 2xx ends its dialog, and an INVITE rejected or canceled
 * before any dialog began ends the call's session. It is also the keeper behind `req.session.save()`,
 * `destroy()` and `touch()` for this request.
 */
import type { CallSessions, LoadedSession } from './call-sessions';
import type { HostRequest, HostResponse } from './host';
import { serialize } from './serialization';
import { Session, sessionData, SessionKeeper, SessionState } from './session';

/** Requests that get no response: ACK, and CANCEL (the server answered it already). */
export function isUnanswerable(method: string): boolean {
  return method === 'ACK' || method === 'CANCEL';
}

/** After this long a request without a final response is considered gone (64 x T1, RFC 3261). */
const TRANSACTION_LIFETIME_MS = 32_000;

export class RequestSession implements SessionKeeper {
  readonly session: Session;
  private savedSnapshot: string;
  private existed: boolean;
  private destroyed = false;
  private done = false;

  constructor(
    private readonly sessions: CallSessions,
    private readonly req: HostRequest,
    loaded: LoadedSession,
    private readonly report: (error: unknown) => void,
  ) {
    // Any property may be set on a session, which is what Session's index signature says.
    this.session = new SessionState(loaded.id, loaded.data, this) as Session;
    this.savedSnapshot = serialize(loaded.data);
    this.existed = loaded.existed;
    if (loaded.id !== req.callId) sessions.inFlight.hold(loaded.id);
  }

  /** Arrange for `finish` to run when the request is done. */
  finishWhenDone(res: HostResponse): void {
    if (isUnanswerable(this.req.method) || res.finished) {
      setImmediate(() => this.finish(res));
      return;
    }
    const guard = setTimeout(() => this.finish(res), TRANSACTION_LIFETIME_MS);
    guard.unref();
    const done = () => {
      clearTimeout(guard);
      this.finish(res);
    };
    res.once('finish', done);
    // A canceled INVITE gets its 487 from the server, so its response never finishes here.
    this.req.once?.('cancel', done);
  }

  async save(session: SessionState, dialogId?: string): Promise<void> {
    const data = sessionData(session);
    const snapshot = serialize(data);
    await this.sessions.save(session.id, data, dialogId);
    this.savedSnapshot = snapshot;
    this.existed = true;
    this.destroyed = false;
  }

  async destroy(session: SessionState): Promise<void> {
    this.destroyed = true;
    await this.sessions.destroy(session.id);
  }

  touch(session: SessionState): Promise<void> {
    return this.sessions.touch(session.id);
  }

  private finish(res: HostResponse): void {
    if (this.done) return;
    this.done = true;
    const work = this.rejectsCall(res)
      ? this.sessions.endIfNoDialogs(this.session.id)
      : this.persist(res);
    work.catch(this.report).finally(() => this.release(res));
  }

  /** The INVITE that began the call failed or was canceled: the call is over before it started. */
  private rejectsCall(res: HostResponse): boolean {
    const { method, dialogId, active } = this.req;
    if (method !== 'INVITE' || dialogId !== undefined) return false;
    return active === false || (res.statusCode ?? 0) >= 300;
  }

  private persist(res: HostResponse): Promise<void> {
    if (this.destroyed) return Promise.resolve();
    const modified = serialize(sessionData(this.session)) !== this.savedSnapshot;
    const newDialog = this.existed || modified ? res.dialogId : undefined;
    if (modified || newDialog !== undefined) return this.save(this.session, newDialog);
    if (this.existed) return this.touch(this.session);
    return Promise.resolve();
  }

  private release(res: HostResponse): void {
    const { inFlight } = this.sessions;
    const ended = inFlight.release(this.req.callId);
    if (this.session.id !== this.req.callId) ended.push(...inFlight.release(this.session.id));
    if (this.req.method === 'BYE' && this.req.dialogId !== undefined && isSuccess(res.statusCode)) {
      ended.push(this.req.dialogId);
    }
    for (const dialogId of new Set(ended)) {
      this.sessions.dialogEnded(this.req.callId, dialogId).catch(this.report);
    }
  }
}

function isSuccess(status: number | undefined): boolean {
  return status !== undefined && status >= 200 && status < 300;
}
