import type { EarlyDialogEvent } from './dialogs/early-dialogs';
import type { ReconnectInfo } from './wire/connect-options';

/** The events of an application. Augmentable: packages add theirs by declaration merging. */
export interface ApplicationEvents {
  /** Connected and authenticated (err null), or the first attempt / the authentication failed. */
  connect: [err: Error | null, hostport?: string];
  disconnect: [err?: Error];
  reconnecting: [info: ReconnectInfo];
  error: [err: Error];
  /** An early dialog began (not emitted once a package hooked onEarlyDialog: see ApplicationHooks). */
  'sipdialog:create-early': [event: EarlyDialogEvent];
}

/** Shared, per-application state for middleware. */
export interface ApplicationLocals {
  [key: string]: unknown;
}

export type ConnectCallback = (err: Error | null, hostport?: string) => void;
