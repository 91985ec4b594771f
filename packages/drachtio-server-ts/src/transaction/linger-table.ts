/**
 * The lingering records of finished server transactions (RFC 6026 Accepted and Confirmed, the
 * non-INVITE Completed state), kept outside the V8 heap. At 3,000-5,000 calls/s some
 * 200,000-300,000 of them exist at once; as JS objects and strings (about 560 heap bytes each)
 * in the old generation they cost 10 % of the server's CPU in GC, and once dead they left V8
 * pages part-empty among long-lived dialogs (1,632 RSS bytes per held dialog against 1,071 of
 * heap; the target is 1,536). Here a record is bytes in a segment log (linger-log.ts, layout in
 * linger-record.ts) found through typed-array hash indexes (key-index.ts): adding one makes no
 * JS object, and a lookup that misses (every new request asks) is a hash and a probe or two.
 *
 * Records of one duration end in the order they were added: one log and one timer per duration.
 * The whole is bounded by the exact bytes of segments and indexes: past the budget the oldest
 * records go early, a segment at a time (only a whole segment gives bytes back), and each is
 * counted; new transactions are never refused for it.
 */
import type { Connection, Destination } from '../transport/transport';
import { hashKey, KeyIndex } from './key-index';
import { LingerLog, offsetOf, Segments } from './linger-log';
import * as layout from './linger-record';
import type { LingeringState, Remainder } from './lingering';

/** Sends a lingering non-INVITE's final response again, the way the transaction sent it. */
export type Resend = (
  response: Buffer,
  destination: Destination,
  connection: Connection | undefined,
) => void;

export interface LingerOptions {
  /** Bytes segments and indexes may take together. */
  readonly budget: number;
  /** A record went early to make room. */
  onEvicted(): void;
  readonly resend: Resend;
}

/**
 * How late a sweep may run after a record's end: one timer serves every record ending within
 * this window. Lookups never see an ended record, whenever the sweep comes.
 */
const SWEEP_MS = 100;

/** The state codes in a record; 0 is `layout.ENDED`. */
const STATES: readonly LingeringState[] = ['accepted', 'confirmed', 'completed'];

/**
 * A 32nd of the budget, a power of two between 1 KiB and 512 KiB: 128 MiB makes 256 segments,
 * so an eviction gives back a 256th, and a small budget still holds a few segments.
 */
function segmentSizeFor(budget: number): number {
  const size = 2 ** Math.floor(Math.log2(Math.max(budget / 32, 1)));
  return Math.min(Math.max(size, 1024), 512 * 1024);
}

export class LingerTable {
  private readonly segments = new Segments();
  /** One per duration, two in practice (64*T1 and T4): a list, walked by index. */
  private readonly logs: LingerLog[] = [];
  private readonly byKey = new KeyIndex((location, key) => this.holdsKey(location, key));
  private readonly byMergeKey = new KeyIndex((location, key) => this.holdsMergeKey(location, key));
  /** The few references bytes cannot hold: a stream transport's connection, by location. */
  private readonly connections = new Map<number, Connection>();
  /** Live records by state code (index 0 unused): a scrape reads them, nothing iterates. */
  private readonly counts = [0, 0, 0, 0];
  private live = 0;
  private readonly segmentSize: number;

  constructor(private readonly options: LingerOptions) {
    this.segmentSize = segmentSizeFor(options.budget);
  }

  /** Records not yet swept, ended ones included until their sweep. */
  get size(): number {
    return this.live;
  }

  /** Exact bytes of the segments and the indexes. */
  get bytes(): number {
    return this.segments.bytes + this.byKey.bytes + this.byMergeKey.bytes;
  }

  /** Adds into `counts` the records by state (only states that have some). */
  countStates(counts: Record<string, number>): void {
    for (let code = 1; code < this.counts.length; code++)
      if (this.counts[code] > 0)
        counts[STATES[code - 1]] = (counts[STATES[code - 1]] ?? 0) + this.counts[code];
  }

  /**
   * A finished transaction lingers from now on, under its matching `key`, replacing any record
   * there; an INVITE's `mergeKey` keeps spotting merged copies (RFC 3261 8.2.2.2) meanwhile.
   */
  add(key: string, mergeKey: string | undefined, remainder: Remainder): void {
    const keyHash = hashKey(key);
    const previous = this.byKey.find(key, keyHash);
    if (previous >= 0) this.end(previous, false);
    const { answer } = remainder;
    const keyBytes = layout.textBytes(key);
    const mergeBytes = mergeKey === undefined ? 0 : layout.textBytes(mergeKey);
    const destination = answer?.channel.destination;
    const addressBytes = destination ? Buffer.byteLength(destination.address) : 0;
    const responseBytes = answer ? answer.response.length : 0;
    const length = layout.HEADER + keyBytes + mergeBytes + addressBytes + responseBytes;

    const log = this.logFor(remainder.ms);
    const needed = log.segmentNeeded(length);
    if (needed > 0) {
      this.makeRoom(needed);
      // Not even alone does it fit: it goes at once, counted like any other.
      if (this.bytes + needed > this.options.budget) return this.options.onEvicted();
    }
    const location = log.append(length);
    const buffer = this.segments.at(location);
    const at = offsetOf(location);
    const state = STATES.indexOf(remainder.state) + 1;
    const connection = answer?.channel.connection;
    let flags = keyBytes === key.length ? 0 : layout.KEY_WIDE;
    buffer.writeDoubleLE(Date.now() + remainder.ms, at + layout.EXPIRES);
    buffer[at + layout.STATE] = state;
    buffer.writeUInt32LE(keyHash, at + layout.KEY_HASH);
    buffer.writeUInt32LE(keyBytes, at + layout.KEY_BYTES);
    buffer.writeUInt32LE(mergeBytes, at + layout.MERGE_BYTES);
    buffer.writeUInt16LE(addressBytes, at + layout.ADDRESS_BYTES);
    buffer.writeUInt32LE(responseBytes, at + layout.RESPONSE_BYTES);
    let cursor = at + layout.HEADER;
    layout.writeText(buffer, cursor, key, keyBytes);
    cursor += keyBytes;
    if (mergeKey !== undefined) {
      const mergeHash = hashKey(mergeKey);
      if (mergeBytes !== mergeKey.length) flags |= layout.MERGE_WIDE;
      flags |= layout.MERGE_CLAIM;
      layout.writeText(buffer, cursor, mergeKey, mergeBytes);
      cursor += mergeBytes;
      buffer.writeUInt32LE(mergeHash, at + layout.MERGE_HASH);
      // The newest INVITE answers for the merge key, as the in-progress map did.
      this.releaseMerge(mergeKey, mergeHash);
      this.byMergeKey.add(mergeHash, location);
    }
    if (answer && destination) {
      flags |= layout.ANSWER;
      buffer[at + layout.TRANSPORT] = layout.TRANSPORTS.indexOf(destination.transport) + 1;
      buffer.writeUInt16LE(destination.port, at + layout.PORT);
      buffer.write(destination.address, cursor, addressBytes, 'utf8');
      answer.response.copy(buffer, cursor + addressBytes);
      if (connection) {
        flags |= layout.CONNECTION;
        this.connections.set(location, connection);
      }
    }
    buffer[at + layout.FLAGS] = flags;
    this.byKey.add(keyHash, location);
    this.counts[state]++;
    this.live++;
    if (!log.timer) this.arm(log);
    // The indexes may have grown past the budget.
    if (this.bytes > this.options.budget) this.makeRoom(0);
  }

  /** The state of the record under `key`, unless it has ended. */
  state(key: string): LingeringState | undefined {
    const location = this.find(this.byKey, key);
    return location < 0
      ? undefined
      : STATES[this.segments.at(location)[offsetOf(location) + layout.STATE] - 1];
  }

  /**
   * A retransmitted request matching a record: a non-INVITE gets its final again (RFC 3261
   * 17.2.2); an INVITE is absorbed (in Accepted the 2xx goes out again from the dialog, in
   * Confirmed nothing is owed). False when no record matches.
   */
  answerRetransmission(key: string): boolean {
    const location = this.find(this.byKey, key);
    if (location < 0) return false;
    const buffer = this.segments.at(location);
    const at = offsetOf(location);
    if ((buffer[at + layout.FLAGS] & layout.ANSWER) === 0) return true;
    const { response, destination } = layout.readAnswer(buffer, at);
    this.options.resend(response, destination, this.connections.get(location));
    return true;
  }

  /** An INVITE with this merge key lingers, unended. */
  hasMergeKey(mergeKey: string): boolean {
    return this.find(this.byMergeKey, mergeKey) >= 0;
  }

  /** A new INVITE takes the merge key over: the lingering one stops answering for it. */
  releaseMerge(mergeKey: string, hash = hashKey(mergeKey)): void {
    const location = this.byMergeKey.find(mergeKey, hash);
    if (location < 0) return;
    this.byMergeKey.remove(hash, location);
    this.segments.at(location)[offsetOf(location) + layout.FLAGS] &= ~layout.MERGE_CLAIM;
  }

  /** Forgets every record at once (engine shutdown), without telling anyone. */
  clear(): void {
    for (const log of this.logs) log.clear();
    this.logs.length = 0;
    this.segments.clear();
    this.byKey.clear();
    this.byMergeKey.clear();
    this.connections.clear();
    this.counts.fill(0);
    this.live = 0;
  }

  /** The unended record under `key` in `index`, or -1. */
  private find(index: KeyIndex, key: string): number {
    const location = index.find(key, hashKey(key));
    return location >= 0 && this.expiresAt(location) > Date.now() ? location : -1;
  }

  /** Whether the record at `location` is stored under `key`. */
  private holdsKey(location: number, key: string): boolean {
    return layout.keyMatches(this.segments.at(location), offsetOf(location), key);
  }

  /** Whether the record at `location` has `mergeKey`. */
  private holdsMergeKey(location: number, mergeKey: string): boolean {
    return layout.mergeKeyMatches(this.segments.at(location), offsetOf(location), mergeKey);
  }

  /** The record leaves the indexes and the counts; its bytes go with its segment. */
  private end(location: number, evicted: boolean): void {
    const buffer = this.segments.at(location);
    const at = offsetOf(location);
    const state = buffer[at + layout.STATE];
    if (state === layout.ENDED) return;
    buffer[at + layout.STATE] = layout.ENDED;
    this.counts[state]--;
    this.live--;
    const flags = buffer[at + layout.FLAGS];
    this.byKey.remove(buffer.readUInt32LE(at + layout.KEY_HASH), location);
    if (flags & layout.MERGE_CLAIM)
      this.byMergeKey.remove(buffer.readUInt32LE(at + layout.MERGE_HASH), location);
    if (flags & layout.CONNECTION) this.connections.delete(location);
    if (evicted) this.options.onEvicted();
  }

  private logFor(ms: number): LingerLog {
    for (let i = 0; i < this.logs.length; i++) if (this.logs[i].ms === ms) return this.logs[i];
    const log = new LingerLog(ms, this.segments, this.segmentSize);
    this.logs.push(log);
    return log;
  }

  /**
   * Until `extra` more bytes fit the budget, the log whose head ends first loses its head
   * segment: its records go early, each reported. Stops when nothing is left to let go.
   */
  private makeRoom(extra: number): void {
    while (this.bytes + extra > this.options.budget) {
      let oldest: LingerLog | undefined;
      for (const log of this.logs)
        if (!log.empty && (!oldest || this.expiresAt(log.head()) < this.expiresAt(oldest.head())))
          oldest = log;
      if (!oldest) return;
      const segments = oldest.segmentCount;
      while (!oldest.empty && oldest.segmentCount === segments) {
        this.end(oldest.head(), true);
        oldest.advance();
      }
    }
  }

  private expiresAt(location: number): number {
    return this.segments.at(location).readDoubleLE(offsetOf(location) + layout.EXPIRES);
  }

  private arm(log: LingerLog): void {
    if (log.empty) {
      log.timer = undefined;
      return;
    }
    const wait = Math.max(this.expiresAt(log.head()) - Date.now(), 0) + SWEEP_MS;
    log.timer = setTimeout(() => this.sweep(log), wait);
    log.timer.unref?.();
  }

  private sweep(log: LingerLog): void {
    const now = Date.now();
    while (!log.empty && this.expiresAt(log.head()) <= now) {
      this.end(log.head(), false);
      log.advance();
    }
    this.arm(log);
  }
}
