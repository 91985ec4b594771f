/**
 * `req.session`: the application's data for one call, as own properties of this object
 * (`req.session.user = 'DaveH'`), plus a few methods. The methods and `id` are not data: they
 * live on the prototype or are non-enumerable, so they are never written to the store.
 */
import type { Callback } from './callback';
import { settle } from './callback';

/**
 * The application's session data. Declare your fields by merging into this interface:
 * `declare module 'drachtio-session' { interface SessionData { user: string } }`.
 */
export interface SessionData {
  [key: string]: unknown;
}

/** What a Session needs from the middleware that created it. */
export interface SessionKeeper {
  save(session: SessionState): Promise<void>;
  destroy(session: SessionState): Promise<void>;
  touch(session: SessionState): Promise<void>;
}

export class SessionState {
  /** The session's id: the Call-ID of the call's first leg. */
  declare readonly id: string;
  readonly #keeper: SessionKeeper;

  constructor(id: string, data: Record<string, unknown>, keeper: SessionKeeper) {
    Object.defineProperty(this, 'id', { value: id, enumerable: false });
    this.#keeper = keeper;
    Object.assign(this, data);
  }

  /** Write the session to the store now (it is also written after the final response). */
  save(callback?: Callback): Promise<void> {
    return settle(this.#keeper.save(this), callback);
  }

  /** Remove the session from the store; the call's later messages start a new one. */
  destroy(callback?: Callback): Promise<void> {
    return settle(this.#keeper.destroy(this), callback);
  }

  /** Restart the session's time to live without writing its data. */
  touch(callback?: Callback): Promise<void> {
    return settle(this.#keeper.touch(this), callback);
  }
}

/** `req.session`: the methods above plus the application's data. */
export type Session = SessionState & Partial<SessionData>;

/** The application's data in `session`: its own enumerable properties. */
export function sessionData(session: SessionState): Record<string, unknown> {
  return { ...session };
}
