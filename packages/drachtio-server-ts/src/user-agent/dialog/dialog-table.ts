/**
 * Every live dialog by id (one Map lookup per in-dialog message), and the notices the control
 * plane gets about them: 'early' and 'confirmed' once each, 'terminated' with its reason only
 * for a dialog that was announced.
 */
import type { DialogNotice, TerminationReason } from 'drachtio-protocol';
import { Dialog, dialogId } from './dialog';

export class DialogTable {
  private readonly dialogs = new Map<string, Dialog>();
  /** Live dialogs per Call-ID and remote tag: a request outside a dialog must not reuse them. */
  private readonly byRemote = new Map<string, number>();

  constructor(private readonly notify: (notice: DialogNotice) => void) {}

  get size(): number {
    return this.dialogs.size;
  }

  get(id: string): Dialog | undefined {
    return this.dialogs.get(id);
  }

  /** The dialog a message belongs to, from our tag and theirs. */
  find(
    callId: string,
    localTag: string | undefined,
    remoteTag: string | undefined,
  ): Dialog | undefined {
    if (localTag === undefined) return undefined;
    return this.dialogs.get(dialogId(callId, localTag, remoteTag ?? ''));
  }

  add(dialog: Dialog): void {
    if (this.dialogs.has(dialog.id)) return;
    this.dialogs.set(dialog.id, dialog);
    const key = remoteKey(dialog.callId, dialog.remoteTag);
    this.byRemote.set(key, (this.byRemote.get(key) ?? 0) + 1);
  }

  /** Whether a live dialog has this Call-ID and this remote (their From) tag. */
  hasRemote(callId: string, remoteTag: string): boolean {
    return this.byRemote.has(remoteKey(callId, remoteTag));
  }

  announce(dialog: Dialog, event: 'early' | 'confirmed'): void {
    dialog.markAnnounced();
    this.notify({ dialogId: dialog.id, event, role: dialog.role, callId: dialog.callId });
  }

  /** Ends a dialog for good: its timers stop, it leaves the table, the control plane is told why. */
  end(dialog: Dialog, reason: TerminationReason): void {
    if (!this.dialogs.delete(dialog.id)) return;
    const key = remoteKey(dialog.callId, dialog.remoteTag);
    const held = this.byRemote.get(key) ?? 0;
    if (held <= 1) this.byRemote.delete(key);
    else this.byRemote.set(key, held - 1);
    dialog.close();
    if (dialog.announced) {
      this.notify({
        dialogId: dialog.id,
        event: 'terminated',
        role: dialog.role,
        callId: dialog.callId,
        reason,
      });
    }
  }

  /** Engine shutdown: timers stop, no notices. */
  clear(): void {
    for (const dialog of this.dialogs.values()) dialog.close();
    this.dialogs.clear();
    this.byRemote.clear();
  }
}

/** A line break cannot occur in a Call-ID or tag, so it separates them unambiguously. */
function remoteKey(callId: string, remoteTag: string): string {
  return `${callId}\n${remoteTag}`;
}
