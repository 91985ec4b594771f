/**
 * Which calls have a request being handled in this process right now. A dialog that ends while
 * a request of its call is in flight (the far end's BYE, typically) must not take the session
 * with it before the handlers have read it, so the end is parked here and handed back when the
 * last request of that call is done.
 */
export class InFlight {
  private readonly entries = new Map<string, { count: number; endedDialogs: Set<string> }>();

  hold(key: string): void {
    const entry = this.entries.get(key);
    if (entry) entry.count++;
    else this.entries.set(key, { count: 1, endedDialogs: new Set() });
  }

  /** Park the end of `dialogId` if `key` is busy; false when the caller must handle it now. */
  deferEnd(key: string, dialogId: string): boolean {
    const entry = this.entries.get(key);
    if (!entry) return false;
    entry.endedDialogs.add(dialogId);
    return true;
  }

  /** Dialog ends parked under `key`, once its last hold is released; empty otherwise. */
  release(key: string): string[] {
    const entry = this.entries.get(key);
    if (!entry) return [];
    if (--entry.count > 0) return [];
    this.entries.delete(key);
    return [...entry.endedDialogs];
  }
}
