/**
 * Every live dialog by id (one Map lookup per in-dialog message), and the notices the control
 * plane gets about them: 'early' and 'confirmed' once each, 'terminated' with its reason only
 * for a dialog that was announced.
 */
import type { DialogNotice, TerminationReason } from 'drachtio-protocol';
import { Dialog, dialogId } from './dialog';

export class DialogTable {
  private readonly dialogs = new Map<string, Dialog>();
  /**
   * Live dialogs by Call-ID: a request outside a dialog must not reuse a live dialog's Call-ID
   * and remote tag. Almost every Call-ID has one dialog, so that is stored without a list.
   */
  private readonly byCallId = new Map<string, Dialog | Dialog[]>();

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
    const { callId } = dialog;
    const others = this.byCallId.get(callId);
    if (others === undefined) this.byCallId.set(callId, dialog);
    else if (Array.isArray(others)) others.push(dialog);
    else this.byCallId.set(callId, [others, dialog]);
  }

  /** Whether a live dialog has this Call-ID and this remote (their From) tag. */
  hasRemote(callId: string, remoteTag: string): boolean {
    const dialogs = this.byCallId.get(callId);
    if (dialogs === undefined) return false;
    if (!Array.isArray(dialogs)) return dialogs.remoteTag === remoteTag;
    return dialogs.some((dialog) => dialog.remoteTag === remoteTag);
  }

  announce(dialog: Dialog, event: 'early' | 'confirmed'): void {
    dialog.markAnnounced();
    this.notify({ dialogId: dialog.id, event, role: dialog.role, callId: dialog.callId });
  }

  /** Ends a dialog for good: its timers stop, it leaves the table, the control plane is told why. */
  end(dialog: Dialog, reason: TerminationReason): void {
    if (!this.dialogs.delete(dialog.id)) return;
    this.forgetCallId(dialog);
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
    this.byCallId.clear();
  }

  private forgetCallId(dialog: Dialog): void {
    const { callId } = dialog;
    const dialogs = this.byCallId.get(callId);
    if (!Array.isArray(dialogs)) {
      if (dialogs === dialog) this.byCallId.delete(callId);
      return;
    }
    const rest = dialogs.filter((other) => other !== dialog);
    this.byCallId.set(callId, rest.length === 1 ? rest[0] : rest);
  }
}
