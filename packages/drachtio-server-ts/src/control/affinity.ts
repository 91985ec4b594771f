import type { AppConnection } from './app-connection';
import type { RoundRobin } from './round-robin';

/** A request the owner still has to answer: forgotten once its final response is out. */
interface ServerTransaction {
  owner: AppConnection;
  callId: string;
}

interface ClientTransaction {
  owner: AppConnection;
  callId?: string;
}

/** A dialog belongs to a connection; once that is gone, to whichever connection of its appName takes it. */
interface DialogOwnership {
  owner?: AppConnection;
  appName?: string;
}

/**
 * A dialog whose connection went away, waiting for another of its appName. An owned dialog maps
 * straight to its connection (which knows its appName): no object per held call.
 */
class Orphan {
  constructor(readonly appName: string) {}
}

/**
 * Who owns what: every transaction and dialog is tied to the application connection that
 * handles it, so every later message about it reaches the same place. Entries leave when the
 * engine reports the transaction or dialog over, or when their connection goes away.
 */
export class Affinity {
  private readonly serverTransactions = new Map<string, ServerTransaction>();
  private readonly clientTransactions = new Map<string, ClientTransaction>();
  private readonly dialogs = new Map<string, AppConnection | Orphan>();
  /** Transactions by Call-ID: how a dialog notice finds its owner before the dialog id is known. */
  private readonly transactionsByCall = new Map<string, Set<string>>();

  /** @param connectionsByAppName where a successor for an orphaned dialog is found */
  constructor(private readonly connectionsByAppName: RoundRobin<AppConnection>) {}

  addServerTransaction(id: string, owner: AppConnection, callId: string): void {
    this.serverTransactions.set(id, { owner, callId });
    this.indexCall(callId, id);
  }

  addClientTransaction(id: string, owner: AppConnection, callId: string | undefined): void {
    this.clientTransactions.set(id, { owner, callId });
    if (callId) this.indexCall(callId, id);
  }

  serverTransactionOwner(id: string): AppConnection | undefined {
    return this.serverTransactions.get(id)?.owner;
  }

  clientTransactionOwner(id: string): AppConnection | undefined {
    return this.clientTransactions.get(id)?.owner;
  }

  /**
   * Records that a response went out. A final one settles the request: nothing later about it
   * is routed by its transaction (ACK and PRACK go by dialog), so it is forgotten at once rather
   * than when the engine's transaction ends, 32 s later.
   */
  responded(id: string, status: number): void {
    if (status >= 200) this.endTransaction(id);
  }

  endTransaction(id: string): void {
    const callId =
      this.serverTransactions.get(id)?.callId ?? this.clientTransactions.get(id)?.callId;
    this.serverTransactions.delete(id);
    this.clientTransactions.delete(id);
    if (callId === undefined) return;
    const ids = this.transactionsByCall.get(callId);
    ids?.delete(id);
    if (ids?.size === 0) this.transactionsByCall.delete(callId);
  }

  setDialogOwner(dialogId: string, owner: AppConnection): void {
    this.dialogs.set(dialogId, owner);
  }

  hasDialog(dialogId: string): boolean {
    return this.dialogs.has(dialogId);
  }

  dialogOwnership(dialogId: string): Readonly<DialogOwnership> | undefined {
    const dialog = this.dialogs.get(dialogId);
    if (dialog instanceof Orphan) return { appName: dialog.appName };
    return dialog && { owner: dialog, appName: dialog.appName };
  }

  /**
   * The connection that handles this dialog now. When its owner is gone, another connection
   * with the same appName takes the dialog over (its state is shared, e.g. in Redis).
   */
  dialogOwner(dialogId: string): AppConnection | undefined {
    const dialog = this.dialogs.get(dialogId);
    if (!dialog) return undefined;
    if (!(dialog instanceof Orphan) && dialog.isOpen) return dialog;
    const successor = dialog.appName ? this.connectionsByAppName.next(dialog.appName) : undefined;
    if (successor) {
      successor.log.info({ dialogId }, 'taking over a dialog of a connection that went away');
      this.dialogs.set(dialogId, successor);
    }
    return successor;
  }

  endDialog(dialogId: string): void {
    this.dialogs.delete(dialogId);
  }

  /** The connection handling any live transaction of this call. */
  ownerOfCall(callId: string): AppConnection | undefined {
    for (const id of this.transactionsByCall.get(callId) ?? []) {
      const owner = this.serverTransactionOwner(id) ?? this.clientTransactionOwner(id);
      if (owner) return owner;
    }
    return undefined;
  }

  /**
   * Forgets a connection that went away. Returns the server transactions it left without a final
   * response (the caller answers them); its dialogs stay known by appName for a successor.
   */
  release(connection: AppConnection): string[] {
    const unanswered: string[] = [];
    for (const [id, transaction] of this.serverTransactions) {
      if (transaction.owner !== connection) continue;
      unanswered.push(id);
      this.endTransaction(id);
    }
    for (const [id, transaction] of this.clientTransactions) {
      if (transaction.owner === connection) this.endTransaction(id);
    }
    const { appName } = connection;
    for (const [dialogId, owner] of this.dialogs) {
      if (owner !== connection) continue;
      if (appName) this.dialogs.set(dialogId, new Orphan(appName));
      else this.dialogs.delete(dialogId);
    }
    return unanswered;
  }

  /** Counts for the leak checks in tests and for the status log. */
  get size(): {
    serverTransactions: number;
    clientTransactions: number;
    dialogs: number;
    calls: number;
  } {
    return {
      serverTransactions: this.serverTransactions.size,
      clientTransactions: this.clientTransactions.size,
      dialogs: this.dialogs.size,
      calls: this.transactionsByCall.size,
    };
  }

  private indexCall(callId: string, id: string): void {
    const ids = this.transactionsByCall.get(callId) ?? new Set<string>();
    ids.add(id);
    this.transactionsByCall.set(callId, ids);
  }
}
