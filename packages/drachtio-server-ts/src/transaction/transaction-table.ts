/**
 * Every live transaction of the engine, and the keys it is found by: server transactions by id
 * (the application's handle) and by matching key (RFC 3261 17.2.3), INVITEs in progress by
 * their merge key (RFC 3261 8.2.2.2), the application's client requests by id and every client
 * transaction by matching key (RFC 3261 17.1.3). An entry leaves all its maps at once.
 */
import type { InviteClientTransaction } from './invite-client-transaction';
import type { NonInviteClientTransaction } from './non-invite-client-transaction';
import type { ResponseLike } from './transaction';

/** What the table needs of a server-side entry. */
export interface ServerEntry {
  readonly id: string;
  readonly key: string;
  /** Set for an INVITE without To tag while it may be merged with a copy of itself. */
  mergeKey: string | undefined;
  readonly transaction: { readonly state: string; terminate(): void };
}

/** Live transactions by side and state machine state, e.g. `server` `proceeding`. */
export type TransactionStates = Record<'server' | 'client', Record<string, number>>;

export type ClientTransaction<R extends ResponseLike> =
  InviteClientTransaction<R> | NonInviteClientTransaction<R>;

export class TransactionTable<
  S extends ServerEntry,
  C extends { readonly id: string },
  R extends ResponseLike,
> {
  private readonly servers = new Map<string, S>();
  private readonly serversByKey = new Map<string, S>();
  private readonly invitesInProgress = new Map<string, S>();
  private readonly clients = new Map<string, C>();
  private readonly clientsByKey = new Map<string, ClientTransaction<R>>();

  /** Live server transactions. */
  get serverCount(): number {
    return this.servers.size;
  }

  /** Live client transactions (the engine's own and CANCELs included). */
  get clientCount(): number {
    return this.clientsByKey.size;
  }

  /** Counted when asked (a metrics scrape), not kept up to date per message. */
  states(): TransactionStates {
    const counts: TransactionStates = { server: {}, client: {} };
    for (const { transaction } of this.servers.values())
      counts.server[transaction.state] = (counts.server[transaction.state] ?? 0) + 1;
    for (const { state } of this.clientsByKey.values())
      counts.client[state] = (counts.client[state] ?? 0) + 1;
    return counts;
  }

  addServer(entry: S): void {
    this.servers.set(entry.id, entry);
    this.serversByKey.set(entry.key, entry);
  }

  server(id: string): S | undefined {
    return this.servers.get(id);
  }

  serverByKey(key: string): S | undefined {
    return this.serversByKey.get(key);
  }

  /** RFC 3261 8.2.2.2: an INVITE with this Call-ID, From tag and CSeq is already in progress. */
  isMerged(mergeKey: string): boolean {
    return this.invitesInProgress.has(mergeKey);
  }

  /** The INVITE is in progress under `mergeKey` (a copy the entry keeps) until it is removed. */
  trackMerge(entry: S, mergeKey: string): void {
    entry.mergeKey = mergeKey;
    this.invitesInProgress.set(mergeKey, entry);
  }

  removeServer(entry: S): void {
    this.servers.delete(entry.id);
    if (this.serversByKey.get(entry.key) === entry) this.serversByKey.delete(entry.key);
    if (entry.mergeKey !== undefined && this.invitesInProgress.get(entry.mergeKey) === entry)
      this.invitesInProgress.delete(entry.mergeKey);
  }

  addClient(request: C): void {
    this.clients.set(request.id, request);
  }

  client(id: string): C | undefined {
    return this.clients.get(id);
  }

  removeClient(request: C): void {
    if (this.clients.get(request.id) === request) this.clients.delete(request.id);
  }

  /** Live client requests of the application (and the engine's own in-dialog requests). */
  get clientRequests(): number {
    return this.clients.size;
  }

  addClientTransaction(key: string, transaction: ClientTransaction<R>): void {
    this.clientsByKey.set(key, transaction);
  }

  clientTransaction(key: string): ClientTransaction<R> | undefined {
    return this.clientsByKey.get(key);
  }

  removeClientTransaction(key: string, transaction: ClientTransaction<R>): void {
    if (this.clientsByKey.get(key) === transaction) this.clientsByKey.delete(key);
  }

  /** Engine shutdown: every transaction ends now (each removes itself as it terminates). */
  terminateAll(): void {
    for (const entry of [...this.servers.values()]) entry.transaction.terminate();
    for (const transaction of [...this.clientsByKey.values()]) transaction.terminate();
    this.invitesInProgress.clear();
  }
}
