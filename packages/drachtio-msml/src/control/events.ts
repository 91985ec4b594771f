/**
 * How media server events are named for applications: `app.playDone` → `playDone`,
 * `msml.dialog.exit` → `terminate`, `msml.conf.nomedia` → `nomedia`.
 */
import type { Request } from 'drachtio';
import type { MsmlEvent } from '../parser/read';

export const DIALOG_EXIT = 'msml.dialog.exit';

export function shortName(eventName: string): string {
  if (eventName === DIALOG_EXIT) return 'terminate';
  for (const prefix of ['app.', 'msml.conf.', 'msml.dialog.']) {
    if (eventName.startsWith(prefix)) return eventName.slice(prefix.length);
  }
  return eventName;
}

/** What listeners of `msml:dialog:*` and `msml:conference:*` receive. */
export interface MsmlEventInfo<T> {
  /** The MediaDialog or Conference the event is about. */
  target: T;
  /** The short name (`playDone`, `terminate`, `nomedia`). */
  name: string;
  /** The name/value pairs of the event. */
  data: Record<string, string>;
  event: MsmlEvent;
  /** The INFO that carried it. */
  req: Request;
  /** `req.session`, when drachtio-session runs before the router. */
  session?: unknown;
}

/** What 'msml:event' receives: an event for no dialog or conference this application knows. */
export type UnroutedMsmlEvent = Omit<MsmlEventInfo<never>, 'target'>;
