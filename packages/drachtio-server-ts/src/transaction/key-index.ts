/**
 * An open-addressing hash index from a text key to a lingering record's location, in two typed
 * arrays. Why not a Map: at 3,000-5,000 calls/s some 200,000-300,000 finished transactions
 * linger at once, and a Map entry with its key string per record was old-generation garbage the
 * GC scanned and moved (10 % of the server's CPU in the bench profile) and left pages part-empty
 * among long-lived dialogs once it died. Typed arrays live off the V8 heap and hold no pointers.
 *
 * The keys themselves are not kept here: the record holds their bytes, and the index asks
 * `matches` on a hash hit. Linear probing with backward-shift deletion: records end all the
 * time, and tombstones would pile up between rehashes.
 */

/** FNV-1a over the UTF-16 code units: hashes a JS string without encoding it first. */
export function hashKey(key: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) hash = Math.imul(hash ^ key.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/** Slots at least, whatever the load: 16 keeps a small budget (tests, tiny deployments) small. */
const MIN_CAPACITY = 16;
/** Bytes per slot: a 32-bit hash and a 64-bit location. */
const SLOT_BYTES = 12;

export class KeyIndex {
  private hashes = new Uint32Array(MIN_CAPACITY);
  /** The location plus one: 0 marks an empty slot, without a third array. */
  private locations = new Float64Array(MIN_CAPACITY);
  private mask = MIN_CAPACITY - 1;
  private count = 0;

  constructor(
    /** Whether the record at `location` is stored under `key` (a hash hit may be a collision). */
    private readonly matches: (location: number, key: string) => boolean,
  ) {}

  get size(): number {
    return this.count;
  }

  /** Bytes of the two arrays: what the index takes of the linger budget. */
  get bytes(): number {
    return this.hashes.length * SLOT_BYTES;
  }

  /** The location stored under `key` (whose hash is `hash`), or -1. */
  find(key: string, hash: number): number {
    const { hashes, locations, mask } = this;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const stored = locations[i];
      if (stored === 0) return -1;
      if (hashes[i] === hash && this.matches(stored - 1, key)) return stored - 1;
    }
  }

  /** Adds `location` under `hash`; the caller has removed any other entry for the same key. */
  add(hash: number, location: number): void {
    // Grown past half full: a miss (every new request asks) stays a probe or two.
    if ((this.count + 1) * 2 > this.hashes.length) this.resize(this.hashes.length * 2);
    this.place(hash, location + 1);
    this.count++;
  }

  /** Removes the entry of `location` under `hash`; false when there is none. */
  remove(hash: number, location: number): boolean {
    const { hashes, locations, mask } = this;
    for (let i = hash & mask; ; i = (i + 1) & mask) {
      const stored = locations[i];
      if (stored === 0) return false;
      if (stored === location + 1) {
        this.shiftInto(i);
        this.count--;
        // Shrunk under an eighth full (not a half: no resizing to and fro around one size).
        if (this.count * 8 < hashes.length && hashes.length > MIN_CAPACITY)
          this.resize(hashes.length / 2);
        return true;
      }
    }
  }

  clear(): void {
    this.hashes = new Uint32Array(MIN_CAPACITY);
    this.locations = new Float64Array(MIN_CAPACITY);
    this.mask = MIN_CAPACITY - 1;
    this.count = 0;
  }

  /**
   * Empties slot `hole` and moves later entries of its cluster back into it when their home
   * slot allows, so every key stays reachable from its home without a tombstone.
   */
  private shiftInto(hole: number): void {
    const { hashes, locations, mask } = this;
    for (let j = (hole + 1) & mask; locations[j] !== 0; j = (j + 1) & mask) {
      const home = hashes[j] & mask;
      // The entry at j may move to the hole if the hole lies between its home and j (cyclically).
      if (((j - home) & mask) >= ((j - hole) & mask)) {
        hashes[hole] = hashes[j];
        locations[hole] = locations[j];
        hole = j;
      }
    }
    locations[hole] = 0;
  }

  private place(hash: number, stored: number): void {
    const { hashes, locations, mask } = this;
    let i = hash & mask;
    while (locations[i] !== 0) i = (i + 1) & mask;
    hashes[i] = hash;
    locations[i] = stored;
  }

  private resize(capacity: number): void {
    const { hashes, locations } = this;
    this.hashes = new Uint32Array(capacity);
    this.locations = new Float64Array(capacity);
    this.mask = capacity - 1;
    for (let i = 0; i < hashes.length; i++)
      if (locations[i] !== 0) this.place(hashes[i], locations[i]);
  }
}
