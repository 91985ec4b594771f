import type { Hooks } from '../hooks';
import type { ClientRequest } from '../uac/client-request';
import type { IncomingResponse } from '../uac/incoming-response';
import type { Request } from '../uas/request';
import type { Response } from '../uas/response';

/**
 * An early dialog, as the onEarlyDialog hook and the 'sipdialog:create-early' event (in
 * `e.target`) report it. As UAS, `prack` is the PRACK that established it.
 */
export type EarlyDialog =
  | { role: 'uas'; dialogId: string; callId: string; req: Request; res: Response; prack: Request }
  | { role: 'uac'; dialogId: string; callId: string; req: ClientRequest; res: IncomingResponse };

export interface EarlyDialogEvent {
  type: 'sipdialog:create-early';
  target: EarlyDialog;
}

/** Remembered so each early dialog is announced once; bounded against leaks. */
const MAX_EARLY_DIALOGS = 10_000;

/**
 * Announces each early dialog once: to the onEarlyDialog hooks when a package added one, as the
 * application's 'sipdialog:create-early' event otherwise.
 */
export class EarlyDialogs {
  private readonly announced = new Set<string>();

  constructor(
    private readonly hooks: Hooks,
    private readonly emit: (event: EarlyDialogEvent) => void,
  ) {}

  began(dialog: EarlyDialog): void {
    if (this.announced.has(dialog.dialogId)) return;
    if (this.announced.size >= MAX_EARLY_DIALOGS) this.announced.clear();
    this.announced.add(dialog.dialogId);
    if (this.hooks.has('onEarlyDialog')) this.hooks.run('onEarlyDialog', dialog);
    else this.emit({ type: 'sipdialog:create-early', target: dialog });
  }

  /** The dialog is no longer early (confirmed or ended). */
  ended(dialogId: string): void {
    this.announced.delete(dialogId);
  }

  clear(): void {
    this.announced.clear();
  }
}
