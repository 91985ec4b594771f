/**
 * `session({store, ttl})`: loads `req.session` before the handlers run and keeps one session per
 * call — shared by every message of the call and by the legs of a B2BUA piped from its handler —
 * until the call's last dialog ends or the time to live runs out.
 *
 * When the store fails or is too slow, the request is answered with `failureStatus` (503 by
 * default; ACK and CANCEL, which cannot be answered, go no further) and the error is emitted
 * on the app as 'error'. Nothing is retried: the next request simply tries the store again.
 */
import { CallSessions } from './call-sessions';
import type { B2buaLegs, DialogStateNotice, HostApp, HostRequest, HostResponse } from './host';
import { MemoryStore } from './memory-store';
import { isUnanswerable, RequestSession } from './request-session';
import type { Store } from './store';

export interface SessionOptions {
  /** Where sessions live; a MemoryStore of this process by default. */
  store?: Store;
  /** Seconds a session outlives the last message of its call (default: the store's ttl, else 86400). */
  ttl?: number;
  /** Milliseconds one store call may take before the request fails (default 2000). */
  timeout?: number;
  /** SIP status for a request whose session cannot be loaded: 500 or 503 (default). */
  failureStatus?: 500 | 503;
}

export type SessionMiddleware = (
  req: HostRequest,
  res: HostResponse,
  next: (err?: unknown) => void,
) => void;

const DEFAULT_TTL_SECONDS = 86_400;
const DEFAULT_TIMEOUT_MS = 2_000;

export function session(options: SessionOptions = {}): SessionMiddleware {
  const store: Store = options.store ?? new MemoryStore();
  assertStore(store);
  const sessions = new CallSessions({
    store,
    ttl: positive('ttl', options.ttl ?? store.ttl ?? DEFAULT_TTL_SECONDS),
    timeout: positive('timeout', options.timeout ?? DEFAULT_TIMEOUT_MS),
    failureStatus: failureStatus(options.failureStatus ?? 503),
  });
  const watchedApps = new WeakSet<HostApp>();

  return function sessionMiddleware(req, res, next) {
    const report = reporter(req.app);
    if (!watchedApps.has(req.app)) {
      watchedApps.add(req.app);
      watchCalls(req.app, sessions, report);
    }
    sessions.inFlight.hold(req.callId);
    sessions.load(req.callId).then(
      (loaded) => {
        const requestSession = new RequestSession(sessions, req, loaded, report);
        req.session = requestSession.session;
        requestSession.finishWhenDone(res);
        next();
      },
      (error: unknown) => {
        sessions.inFlight.release(req.callId);
        report(error);
        if (!isUnanswerable(req.method) && !res.headersSent) {
          Promise.resolve()
            .then(() => res.send((error as { status?: number }).status ?? 500))
            .catch(report);
        }
      },
    );
  };
}

/** Follow the calls' dialogs and B2BUA legs of one app. */
function watchCalls(app: HostApp, sessions: CallSessions, report: (error: unknown) => void): void {
  app.addHook('onDialog', (notice: DialogStateNotice) => {
    const work =
      notice.event === 'terminated'
        ? sessions.dialogEnded(notice.callId, notice.dialogId)
        : sessions.dialogStarted(notice.callId, notice.dialogId);
    work.catch(report);
  });
  app.addHook('onB2bua', ({ uas, uac }: B2buaLegs) => {
    const shared = uas.session;
    if (!shared) return;
    const link = () => {
      if (uac.callId) sessions.link(shared.id, uac.callId).catch(report);
    };
    if (uac.callId) link();
    else uac.once('sent', link);
  });
}

/** Errors go to the app's 'error' listeners; without any, to a process warning instead of a crash. */
function reporter(app: HostApp): (error: unknown) => void {
  return (error) => {
    const err = error instanceof Error ? error : new Error(String(error));
    if (app.listenerCount('error') > 0) app.emit('error', err);
    else process.emitWarning(`drachtio-session: ${err.message}`, err.name);
  };
}

function assertStore(store: Store): void {
  for (const method of ['get', 'set', 'destroy', 'touch'] as const) {
    if (typeof store?.[method] !== 'function') {
      throw new TypeError(
        `session: the store must implement ${method}() (see the Store interface)`,
      );
    }
  }
}

function positive(name: string, value: number): number {
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
    throw new TypeError(`session: ${name} must be a positive number, got ${String(value)}`);
  }
  return value;
}

function failureStatus(status: number): number {
  if (status !== 500 && status !== 503) {
    throw new TypeError(`session: failureStatus must be 500 or 503, got ${String(status)}`);
  }
  return status;
}
