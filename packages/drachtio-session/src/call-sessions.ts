/**
 * The rules of "one session per call", on top of any Store:
 * - a session is found by any Call-ID of the call (the first leg's id, or an alias of it);
 * - it lives while the call has dialogs, and is destroyed with its aliases when the last ends;
 * - every update is a read-modify-write serialized per session, bounded in time, and a store
 *   failure surfaces as a SessionStoreError carrying the SIP status to answer with.
 */
import { AliasCache } from './alias-cache';
import { SessionStoreError } from './errors';
import { InFlight } from './in-flight';
import { KeyedQueue } from './keyed-queue';
import {
  addId,
  emptySessionRecord,
  formatRecord,
  parseRecord,
  SessionRecord,
  StoredRecord,
} from './record';
import type { Store } from './store';
import { withTimeout } from './with-timeout';

export interface CallSessionsOptions {
  store: Store;
  /** Seconds a session outlives the last message of its call. */
  ttl: number;
  /** Milliseconds one store call may take before it counts as failed. */
  timeout: number;
  /** SIP status for requests whose session cannot be loaded. */
  failureStatus: number;
}

export interface LoadedSession {
  id: string;
  data: Record<string, unknown>;
  /** Whether the store already held this session. */
  existed: boolean;
}

const ALIAS_CACHE_SIZE = 10_000;

export class CallSessions {
  readonly inFlight = new InFlight();
  private readonly queue = new KeyedQueue();
  private readonly aliases = new AliasCache(ALIAS_CACHE_SIZE);

  constructor(private readonly options: CallSessionsOptions) {}

  /** The session of the call `callId` belongs to (a new, empty one if there is none). */
  async load(callId: string): Promise<LoadedSession> {
    const cachedId = this.aliases.get(callId);
    const first = await this.read(cachedId ?? callId);
    if (first?.kind === 'session')
      return { id: cachedId ?? callId, data: first.data, existed: true };
    if (first?.kind === 'alias') {
      const target = await this.read(first.sessionId);
      if (target?.kind === 'session') {
        this.aliases.set(callId, first.sessionId);
        return { id: first.sessionId, data: target.data, existed: true };
      }
    }
    // Nothing stored, or an alias whose session is gone: the call starts afresh under its own id.
    return { id: callId, data: {}, existed: false };
  }

  /** Write the session's data, and note `dialogId` as alive when the response created one. */
  save(sessionId: string, data: Record<string, unknown>, dialogId?: string): Promise<void> {
    return this.update(sessionId, (record) => {
      const next = record ?? emptySessionRecord();
      next.data = data;
      if (dialogId !== undefined) addId(next.dialogs, dialogId);
      return next;
    });
  }

  touch(sessionId: string): Promise<void> {
    return this.queue.run(sessionId, () =>
      this.call('touch', (store) => store.touch(sessionId, this.options.ttl)),
    );
  }

  /** Make `callId` (another leg of the call) share session `sessionId`. */
  link(sessionId: string, callId: string): Promise<void> {
    if (callId === sessionId) return Promise.resolve();
    this.aliases.set(callId, sessionId);
    return this.update(sessionId, async (record) => {
      const next = record ?? emptySessionRecord();
      addId(next.aliases, callId);
      await this.write(callId, { kind: 'alias', sessionId });
      return next;
    });
  }

  /** A dialog of the call began (early or confirmed). Calls without a stored session are ignored. */
  async dialogStarted(callId: string, dialogId: string): Promise<void> {
    const sessionId = await this.resolve(callId);
    await this.update(sessionId, (record) => {
      return record && addId(record.dialogs, dialogId) ? record : undefined;
    });
  }

  /**
   * A dialog of the call terminated: the session goes when no dialog is left. While a request of
   * the call is being handled here, that waits until its handlers are done (see InFlight).
   */
  async dialogEnded(callId: string, dialogId: string): Promise<void> {
    if (this.inFlight.deferEnd(callId, dialogId)) return;
    const sessionId = await this.resolve(callId);
    if (this.inFlight.deferEnd(sessionId, dialogId)) return;
    await this.queue.run(sessionId, async () => {
      const record = await this.readSession(sessionId);
      if (!record) return;
      record.dialogs = record.dialogs.filter((id) => id !== dialogId);
      if (record.dialogs.length > 0) await this.write(sessionId, record);
      else await this.remove(sessionId, record);
    });
  }

  /** A call that was rejected before any dialog began leaves nothing behind. */
  endIfNoDialogs(sessionId: string): Promise<void> {
    return this.queue.run(sessionId, async () => {
      const record = await this.readSession(sessionId);
      if (record && record.dialogs.length === 0) await this.remove(sessionId, record);
    });
  }

  /** Forget the session and every alias of it. */
  destroy(sessionId: string): Promise<void> {
    return this.queue.run(sessionId, async () => {
      await this.remove(sessionId, await this.readSession(sessionId));
    });
  }

  private async resolve(callId: string): Promise<string> {
    const cached = this.aliases.get(callId);
    if (cached !== undefined) return cached;
    const record = await this.read(callId);
    return record?.kind === 'alias' ? record.sessionId : callId;
  }

  /** Serialized read-modify-write; `change` returns undefined to leave the store as it is. */
  private update(
    sessionId: string,
    change: (
      record: SessionRecord | undefined,
    ) => SessionRecord | undefined | Promise<SessionRecord | undefined>,
  ): Promise<void> {
    return this.queue.run(sessionId, async () => {
      const next = await change(await this.readSession(sessionId));
      if (next) await this.write(sessionId, next);
    });
  }

  private async remove(sessionId: string, record: SessionRecord | undefined): Promise<void> {
    const aliases = record?.aliases ?? [];
    await Promise.all(
      aliases.map((callId) => this.call('destroy', (store) => store.destroy(callId))),
    );
    await this.call('destroy', (store) => store.destroy(sessionId));
    this.aliases.forget(aliases);
  }

  private async readSession(sessionId: string): Promise<SessionRecord | undefined> {
    const record = await this.read(sessionId);
    return record?.kind === 'session' ? record : undefined;
  }

  private async read(id: string): Promise<StoredRecord | undefined> {
    const text = await this.call('get', (store) => store.get(id));
    return typeof text === 'string' ? parseRecord(text) : undefined;
  }

  private write(id: string, record: StoredRecord): Promise<void> {
    return this.call('set', (store) => store.set(id, formatRecord(record), this.options.ttl));
  }

  private async call<T>(operation: string, run: (store: Store) => Promise<T>): Promise<T> {
    try {
      const pending = Promise.resolve().then(() => run(this.options.store));
      return await withTimeout(pending, this.options.timeout, `session store ${operation}`);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new SessionStoreError(
        `session store ${operation} failed: ${reason}`,
        this.options.failureStatus,
        error,
      );
    }
  }
}
