import type { EarlyDialogEvent } from './dialogs/early-dialogs';
import type { Logger } from './logger';
import type { ReconnectInfo } from './wire/connect-options';

/** `drachtio(options)`. */
export interface ApplicationOptions {
  /** Where drachtio logs (a pino logger fits); by default the `debug` package, `DEBUG=drachtio:*`. */
  logger?: Logger;
}

/** The events of an application. Augmentable: packages add theirs by declaration merging. */
export interface ApplicationEvents {
  /** Connected and authenticated (err null), or the first attempt / the authentication failed. */
  connect: [err: Error | null, hostport?: string];
  disconnect: [err?: Error];
  reconnecting: [info: ReconnectInfo];
  error: [err: Error];
  /** An early dialog began: the core's EarlyDialogEvent, or the event of the package that announces them. */
  'sipdialog:create-early': [event: CreateEarlyEvent];
}

/**
 * A package that takes over announcing early dialogs (an onEarlyDialog hook, as drachtio-dialog
 * adds) names the event it emits here by declaration merging: `{ event: SipDialogEvent }`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by declaration merging
export interface EarlyDialogEventOverride {}

type CreateEarlyEvent = EarlyDialogEventOverride extends { event: infer E } ? E : EarlyDialogEvent;

/** Shared, per-application state for middleware. */
export interface ApplicationLocals {
  [key: string]: unknown;
}

export type ConnectCallback = (err: Error | null, hostport?: string) => void;
