/**
 * Every live transaction of the engine, and the keys it is found by: server transactions in
 * progress by id (the application's handle) and by matching key (RFC 3261 17.2.3), finished ones
 * as lingering records by matching key, INVITEs by their merge key (RFC 3261 8.2.2.2) until
 * their record ends, the application's client requests by id and every client transaction by
 * matching key (RFC 3261 17.1.3). An entry leaves all its maps at once.
 */
import type { InviteClientTransaction } from './invite-client-transaction';
import { LingerTable, type Resend } from './linger-table';
import type { LingeringState, Remainder } from './lingering';
import type { NonInviteClientTransaction } from './non-invite-client-transaction';
import type { ResponseLike } from './transaction';

/** What the table needs of a server-side entry. */
export interface ServerEntry {
  readonly id: string;
  readonly key: string;
  /** Set for an INVITE without To tag while it may be merged with a copy of itself. */
  mergeKey: string | undefined;
  readonly transaction: {
    readonly state: string;
    /** Set once the transaction handed the rest of its life to a lingering record. */
    readonly remainder: Remainder | undefined;
    terminate(): void;
  };
}

export interface TableOptions {
  /** Bytes the lingering records (segments and indexes) may take; past it the oldest go early. */
  lingerBytes?: number;
  /** A lingering record went early to make room (the caller counts and logs it). */
  onEvicted?(): void;
  /** How a lingering non-INVITE sends its final again. */
  resend: Resend;
}

/**
 * 128 MiB: at about 200 bytes for an answered INVITE and 400 for its BYE (sipp's messages, the
 * indexes' share included), every call of 7,000 calls/s lingers its full 32 s; faster, the
 * oldest records go early.
 */
export const DEFAULT_LINGER_BYTES = 128 * 1024 * 1024;

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
  /** By merge key: the INVITE's entry while in progress (its record has it once it lingers). */
  private readonly invitesInProgress = new Map<string, S>();
  private readonly lingering: LingerTable;
  private readonly clients = new Map<string, C>();
  private readonly clientsByKey = new Map<string, ClientTransaction<R>>();
  /** Client transactions in clientsByKey that have their final response (Accepted, Completed). */
  private settledClients = 0;
  /** One function for every client transaction's onSettled, rather than a closure each. */
  private readonly countSettled = (): void => {
    this.settledClients++;
  };

  constructor(options: TableOptions) {
    this.lingering = new LingerTable({
      budget: options.lingerBytes ?? DEFAULT_LINGER_BYTES,
      onEvicted: options.onEvicted ?? (() => undefined),
      resend: options.resend,
    });
  }

  /** Live server transactions, lingering ones included. */
  get serverCount(): number {
    return this.servers.size + this.lingering.size;
  }

  /** Server transactions still in progress (not lingering): what maxTransactions bounds. */
  get serversInProgress(): number {
    return this.servers.size;
  }

  /** Exact bytes the lingering records take, off the V8 heap (segments and indexes). */
  get lingeringBytes(): number {
    return this.lingering.bytes;
  }

  /** Live client transactions (the engine's own and CANCELs included). */
  get clientCount(): number {
    return this.clientsByKey.size;
  }

  /** Client transactions still awaiting their final response: what maxTransactions bounds. */
  get clientsInProgress(): number {
    return this.clientsByKey.size - this.settledClients;
  }

  /** Counted when asked (a metrics scrape); the lingering records keep their counts by state. */
  states(): TransactionStates {
    const counts: TransactionStates = { server: {}, client: {} };
    for (const { transaction } of this.servers.values())
      counts.server[transaction.state] = (counts.server[transaction.state] ?? 0) + 1;
    this.lingering.countStates(counts.server);
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

  /** The server transaction in progress with this matching key. */
  serverByKey(key: string): S | undefined {
    return this.serversByKey.get(key);
  }

  /** A server transaction, in progress or lingering, has this matching key. */
  hasServerKey(key: string): boolean {
    return this.serversByKey.has(key) || this.lingering.state(key) !== undefined;
  }

  /** The state of the finished server transaction still lingering under this matching key. */
  lingeringState(key: string): LingeringState | undefined {
    return this.lingering.state(key);
  }

  /**
   * A retransmitted request: a finished transaction lingering under its key answers it (a
   * non-INVITE sends its final again, an INVITE absorbs it). False when none does.
   */
  answerRetransmission(key: string): boolean {
    return this.lingering.answerRetransmission(key);
  }

  /** An ACK with this INVITE's key: Confirmed absorbs it; in Accepted it is the dialog's (a 2xx ACK). */
  absorbsAck(key: string): boolean {
    return this.lingering.state(key) === 'confirmed';
  }

  /** RFC 3261 8.2.2.2: an INVITE with this Call-ID, From tag and CSeq is already in progress. */
  isMerged(mergeKey: string): boolean {
    return this.invitesInProgress.has(mergeKey) || this.lingering.hasMergeKey(mergeKey);
  }

  /** The INVITE is in progress under `mergeKey` (a copy the entry keeps) until it is removed. */
  trackMerge(entry: S, mergeKey: string): void {
    entry.mergeKey = mergeKey;
    this.invitesInProgress.set(mergeKey, entry);
    // It answers for the merge key now, not an earlier INVITE lingering with the same one.
    this.lingering.releaseMerge(mergeKey);
  }

  /** The transaction ended, or left a remainder that lingers from now on under the entry's key. */
  removeServer(entry: S): void {
    this.servers.delete(entry.id);
    if (this.serversByKey.get(entry.key) === entry) this.serversByKey.delete(entry.key);
    const { mergeKey } = entry;
    const owned = mergeKey !== undefined && this.invitesInProgress.get(mergeKey) === entry;
    const { remainder } = entry.transaction;
    if (owned) this.invitesInProgress.delete(mergeKey);
    if (remainder) this.lingering.add(entry.key, owned ? mergeKey : undefined, remainder);
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
    const replaced = this.clientsByKey.get(key);
    if (replaced) this.uncount(replaced);
    this.clientsByKey.set(key, transaction);
    if (transaction.settled) this.settledClients++;
    else transaction.onSettled = this.countSettled;
  }

  clientTransaction(key: string): ClientTransaction<R> | undefined {
    return this.clientsByKey.get(key);
  }

  removeClientTransaction(key: string, transaction: ClientTransaction<R>): void {
    if (this.clientsByKey.get(key) !== transaction) return;
    this.clientsByKey.delete(key);
    this.uncount(transaction);
  }

  private uncount(transaction: ClientTransaction<R>): void {
    transaction.onSettled = undefined;
    if (transaction.settled) this.settledClients--;
  }

  /** Engine shutdown: every transaction ends now (each removes itself as it terminates). */
  terminateAll(): void {
    for (const entry of [...this.servers.values()]) entry.transaction.terminate();
    for (const transaction of [...this.clientsByKey.values()]) transaction.terminate();
    this.lingering.clear();
    this.invitesInProgress.clear();
  }
}
