/**
 * drachtio-session: `req.session` for drachtio applications.
 *
 *   app.use(drachtio.session({ store: new RedisStore({ host: 'localhost' }) }));
 *
 * The module itself is the `session` function (so `require('drachtio-session')(opts)` and
 * drachtio's lazy `drachtio.session` both work); everything else hangs off it as named exports.
 */
import { session } from './middleware';
import { MemoryStore } from './memory-store';
import { registerClass } from './serialization';
import { SessionSerializationError, SessionStoreError } from './errors';
import { SessionState } from './session';
import type { Session } from './session';
// Brings drachtio's types into the program, so that the augmentation below has a module to merge into.
import type {} from 'drachtio';

export {
  session,
  MemoryStore,
  registerClass,
  SessionSerializationError,
  SessionStoreError,
  SessionState,
};
export type { Store } from './store';
export type { Session, SessionData } from './session';
export type { MemoryStoreOptions } from './memory-store';
export type { SessionOptions, SessionMiddleware } from './middleware';
export type { SerializableClass } from './serialization';
export type { Callback } from './callback';
export default session;

declare module 'drachtio' {
  interface Request {
    /** This call's session, loaded by drachtio-session's middleware. */
    session: Session;
  }
}
