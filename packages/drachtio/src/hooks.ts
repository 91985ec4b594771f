import type { DialogNotice } from 'drachtio-protocol';
import type { EarlyDialog } from './dialogs/early-dialogs';
import type { ClientRequest } from './uac/client-request';
import type { Request } from './uas/request';

/** The two call legs `pipe(res)` joined: the request the app answers and the one it sent on. */
export interface B2buaLegs {
  uas: Request;
  uac: ClientRequest;
}

/**
 * Where a package (drachtio-session, drachtio-dialog, drachtio-msml) hooks into an application,
 * with `app.addHook(name, fn)`. Hooks run synchronously, in the order they were added.
 */
export interface ApplicationHooks {
  /** Every dialog notice of the server: early, confirmed, terminated (with its reason). */
  onDialog: (notice: DialogNotice) => void;
  /** `pipe(res)` joined two call legs. */
  onB2bua: (legs: B2buaLegs) => void;
  /**
   * An early dialog began: a PRACK for our reliable 1xx, or a reliable 1xx to our INVITE, once per
   * dialog. The application announces early dialogs as 'sipdialog:create-early' until a hook is
   * added here; from then on that hook's package announces them (drachtio-dialog, with a SipDialog).
   */
  onEarlyDialog: (early: EarlyDialog) => void;
}

export type HookName = keyof ApplicationHooks;

type HookLists = { [K in HookName]: Array<ApplicationHooks[K]> };

/** The hooks of one application. A hook that throws is reported; the others still run. */
export class Hooks {
  private readonly lists: HookLists = { onDialog: [], onB2bua: [], onEarlyDialog: [] };

  constructor(private readonly report: (error: unknown, context: string) => void) {}

  add<K extends HookName>(name: K, fn: ApplicationHooks[K]): void {
    if (!Object.hasOwn(this.lists, name)) {
      throw new TypeError(
        `app.addHook(): there is no hook '${String(name)}' (hooks: ${Object.keys(this.lists).join(', ')})`,
      );
    }
    if (typeof fn !== 'function')
      throw new TypeError(`app.addHook('${name}', fn): fn must be a function`);
    this.lists[name].push(fn);
  }

  has(name: HookName): boolean {
    return this.lists[name].length > 0;
  }

  run<K extends HookName>(name: K, ...args: Parameters<ApplicationHooks[K]>): void {
    for (const fn of this.lists[name] as Array<
      (...hookArgs: Parameters<ApplicationHooks[K]>) => void
    >) {
      try {
        fn(...args);
      } catch (error) {
        this.report(error, `the ${name} hook`);
      }
    }
  }
}
