import type { DialogLinks } from './b2bua/dialog-links';
import type { Hooks } from './hooks';
import type { ClientTransactions } from './uac/client-transactions';
import type { Agent } from './wire/agent';

/**
 * The parts of an application that its Request, Response and ClientRequest objects, and the
 * companion packages (drachtio-dialog, drachtio-msml), work with but an application does not:
 * reached through `internalsOf(app)` only, so none of it is on the Application type.
 */
export interface ApplicationInternals {
  /** The wire client: `agent.command(name, data)` sends any drachtio-protocol command. */
  readonly agent: Agent;
  /** The requests this application sent that still wait for their final response. */
  readonly clientTransactions: ClientTransactions;
  /** B2BUA call legs that end together. */
  readonly links: DialogLinks;
  readonly hooks: Hooks;
  /** Errors that belong to no caller: the app's 'error' event when someone listens, stderr otherwise. */
  reportError(error: unknown, context: string): void;
}

/** A registered symbol, so that two copies of drachtio in one process still find each other's internals. */
const INTERNALS = Symbol.for('drachtio.internals');

type Holder = { [INTERNALS]?: ApplicationInternals };

export function attachInternals(app: object, internals: ApplicationInternals): void {
  Object.defineProperty(app, INTERNALS, { value: internals });
}

/** For drachtio's own objects and companion packages; applications have no use for it. */
export function internalsOf(app: object): ApplicationInternals {
  const internals = (app as Holder)[INTERNALS];
  if (!internals) throw new TypeError('internalsOf(app): not a drachtio application');
  return internals;
}
