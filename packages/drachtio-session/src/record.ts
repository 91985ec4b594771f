/**
 * What the middleware keeps in a store for a call. The session record of a call holds the
 * application's data plus the bookkeeping that decides when the call is over: the dialogs
 * still alive and the other Call-IDs (B2BUA legs) that point at it. A leg's Call-ID holds an
 * alias record naming the session it shares.
 */
import { deserialize, serialize } from './serialization';

export interface SessionRecord {
  kind: 'session';
  data: Record<string, unknown>;
  /** Dialog ids of this call (every leg) that have started and not yet terminated. */
  dialogs: string[];
  /** Call-IDs whose alias records point here; destroyed with the session. */
  aliases: string[];
}

export interface AliasRecord {
  kind: 'alias';
  /** The session id (the first leg's Call-ID) this Call-ID shares. */
  sessionId: string;
}

export type StoredRecord = SessionRecord | AliasRecord;

/**
 * Most dialogs (forks, legs) and aliases (B2BUA legs) one call keeps. Their ids come from the
 * network, so the lists are bounded; a call that exceeds this is not a call any more, and its
 * extra dialogs are simply not tracked (the session then ends by TTL at the latest).
 */
export const MAX_IDS_PER_CALL = 64;

/** Add `id` to a record's list once, while the list has room. */
export function addId(list: string[], id: string): boolean {
  if (list.includes(id) || list.length >= MAX_IDS_PER_CALL) return false;
  list.push(id);
  return true;
}

export function emptySessionRecord(): SessionRecord {
  return { kind: 'session', data: {}, dialogs: [], aliases: [] };
}

export function formatRecord(record: StoredRecord): string {
  return serialize(record);
}

/** Undefined for text that is not a record this middleware wrote: such an id is treated as new. */
export function parseRecord(text: string): StoredRecord | undefined {
  let value: unknown;
  try {
    value = deserialize(text);
  } catch {
    return undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  const record = value as Partial<SessionRecord> & Partial<AliasRecord>;
  if (record.kind === 'alias' && typeof record.sessionId === 'string') {
    return { kind: 'alias', sessionId: record.sessionId };
  }
  if (record.kind === 'session' && isPlainObject(record.data)) {
    return {
      kind: 'session',
      data: record.data,
      dialogs: stringsOf(record.dialogs),
      aliases: stringsOf(record.aliases),
    };
  }
  return undefined;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function stringsOf(value: unknown): string[] {
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : [];
}
