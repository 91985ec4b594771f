/**
 * The calls the engine holds, by id and state, kept from its dialog notices: what metrics
 * report by state and role, and what a drain sends its BYEs to. Bounded by the engine's own
 * maxDialogs, since every dialog it announces it also reports terminated.
 */
import type { DialogNotice } from 'drachtio-protocol';
import type { Engine } from '../engine';

export type DialogRole = DialogNotice['role'];
export type TrackedState = 'early' | 'confirmed';

export class DialogTracker {
  /** Calls confirmed since start (a counter: rate() of it is calls set up per second). */
  confirmedTotal = 0;
  private readonly dialogs = new Map<string, { state: TrackedState; role: DialogRole }>();
  private readonly listener = (notice: DialogNotice): void => this.onNotice(notice);
  private emptied: Array<() => void> = [];

  constructor(private readonly engine: Engine) {
    engine.on('dialog', this.listener);
  }

  get size(): number {
    return this.dialogs.size;
  }

  /** Live dialogs per state and role, for the metrics. */
  count(state: TrackedState, role: DialogRole): number {
    let n = 0;
    for (const dialog of this.dialogs.values())
      if (dialog.state === state && dialog.role === role) n++;
    return n;
  }

  /** Ids of the confirmed dialogs: the calls a drain ends with a BYE. */
  confirmed(): string[] {
    return [...this.dialogs].filter(([, dialog]) => dialog.state === 'confirmed').map(([id]) => id);
  }

  /** Resolves once no dialog is left, or after `ms`; true when none is left. */
  whenEmpty(ms: number): Promise<boolean> {
    if (this.dialogs.size === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        resolve(this.dialogs.size === 0);
      };
      const timer = setTimeout(() => {
        this.emptied = this.emptied.filter((waiter) => waiter !== done);
        done();
      }, ms);
      this.emptied.push(done);
    });
  }

  close(): void {
    this.engine.off('dialog', this.listener);
  }

  private onNotice(notice: DialogNotice): void {
    if (notice.event === 'terminated') {
      this.dialogs.delete(notice.dialogId);
      if (this.dialogs.size === 0) {
        const waiters = this.emptied;
        this.emptied = [];
        for (const waiter of waiters) waiter();
      }
      return;
    }
    if (notice.event === 'confirmed') this.confirmedTotal++;
    this.dialogs.set(notice.dialogId, { state: notice.event, role: notice.role });
  }
}
