/**
 * Where the bytes of lingering records live: Buffer segments outside the V8 heap, appended to
 * and let go in order. Why: at 3,000-5,000 calls/s some 200,000-300,000 finished transactions
 * linger 32 s each; as small JS objects and strings (about 560 heap bytes each) they filled the
 * old generation, the GC spent 10 % of the server's CPU scanning them, and once dead they left
 * V8 pages part-empty among long-lived dialogs (1,632 RSS bytes per held dialog against 1,071 of
 * heap). Bytes in a segment are neither scanned nor moved, and a segment goes back whole.
 *
 * Records of one duration end in the order they were added, so each duration has a log: a queue
 * of segments, written at its tail and read at its head; a segment goes once the head passes it.
 */

/** Locations are `slot * SLOT_SPAN + offset`: one number for the index to keep. */
const SLOT_SPAN = 2 ** 32;

/** Every segment of a table, by slot, so that a location finds its bytes. */
export class Segments {
  private readonly buffers: Array<Buffer | undefined> = [];
  private readonly freeSlots: number[] = [];
  private held = 0;

  /** Bytes of all segments held: what the records take of the linger budget. */
  get bytes(): number {
    return this.held;
  }

  allocate(size: number): number {
    const slot = this.freeSlots.pop() ?? this.buffers.length;
    // Slow: a pooled Buffer would share (and pin) an 8 KiB slab with unrelated data.
    this.buffers[slot] = Buffer.allocUnsafeSlow(size);
    this.held += size;
    return slot;
  }

  release(slot: number): void {
    this.held -= this.bufferOf(slot).length;
    this.buffers[slot] = undefined;
    this.freeSlots.push(slot);
  }

  /** The segment holding `location`. */
  at(location: number): Buffer {
    return this.bufferOf(Math.floor(location / SLOT_SPAN));
  }

  clear(): void {
    this.buffers.length = 0;
    this.freeSlots.length = 0;
    this.held = 0;
  }

  private bufferOf(slot: number): Buffer {
    const buffer = this.buffers[slot];
    if (!buffer) throw new Error(`linger segment ${slot} is not held`);
    return buffer;
  }
}

/** A record's offset in its segment. */
export function offsetOf(location: number): number {
  return location % SLOT_SPAN;
}

/** The records of one duration, oldest first. Each record starts with its length (u32 LE). */
export class LingerLog {
  /** Slots of the segments, oldest first, and the bytes written in each. */
  private readonly slots: number[] = [];
  private readonly ends: number[] = [];
  private headOffset = 0;
  /** The sweep armed for the head record. */
  timer: NodeJS.Timeout | undefined;

  constructor(
    /** How long its records linger. */
    readonly ms: number,
    private readonly segments: Segments,
    /** Bytes of a segment (a larger record gets one of its own size). */
    private readonly segmentSize: number,
  ) {}

  get empty(): boolean {
    return this.slots.length === 0;
  }

  /** Segments held: the head one goes once every record in it has. */
  get segmentCount(): number {
    return this.slots.length;
  }

  /** Location of the oldest record; the log must not be empty. */
  head(): number {
    return this.slots[0] * SLOT_SPAN + this.headOffset;
  }

  /** The head record leaves the log: its segment goes if it was the last there. */
  advance(): void {
    const buffer = this.segments.at(this.head());
    this.headOffset += buffer.readUInt32LE(this.headOffset);
    if (this.headOffset < this.ends[0]) return;
    // Past the last record of its segment, the tail segment too: an empty log holds nothing.
    this.segments.release(this.slots[0]);
    this.slots.shift();
    this.ends.shift();
    this.headOffset = 0;
  }

  /** Bytes a new segment takes to append `length` bytes, 0 when the tail segment has room. */
  segmentNeeded(length: number): number {
    const last = this.slots.length - 1;
    if (last >= 0 && this.ends[last] + length <= this.segments.at(this.slotLocation(last)).length)
      return 0;
    return Math.max(this.segmentSize, length);
  }

  /**
   * Room for a record of `length` bytes at the tail, with its length written: its location.
   * The caller has made room in the budget for `segmentNeeded(length)`.
   */
  append(length: number): number {
    const size = this.segmentNeeded(length);
    if (size > 0) {
      this.slots.push(this.segments.allocate(size));
      this.ends.push(0);
    }
    const last = this.slots.length - 1;
    const location = this.slotLocation(last) + this.ends[last];
    this.segments.at(location).writeUInt32LE(length, this.ends[last]);
    this.ends[last] += length;
    return location;
  }

  /** Lets every segment go (engine shutdown; the segments registry is cleared with it). */
  clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.slots.length = 0;
    this.ends.length = 0;
    this.headOffset = 0;
  }

  private slotLocation(index: number): number {
    return this.slots[index] * SLOT_SPAN;
  }
}
