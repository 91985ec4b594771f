/**
 * The transactions refused lately, by key, so that a retransmission of one (its 503 was late or
 * lost) gets the same 503 instead of being admitted once the refused fraction has dropped.
 * Two generations of `span` ms each: a key is remembered for one to two spans, which covers
 * the retransmissions of the first seconds (RFC 3261 Timer A/E at T1, 3*T1, 7*T1).
 */
export class RecentRefusals {
  private current = new Set<string>();
  private previous = new Set<string>();
  private rotated: number;

  constructor(
    /** Keys kept per generation: past it refusals are not remembered (their retransmission is judged afresh). */
    private readonly capacity: number,
    private readonly span: number,
    now: number,
  ) {
    this.rotated = now;
  }

  add(key: string, now: number): void {
    this.rotate(now);
    if (this.current.size < this.capacity) this.current.add(key);
  }

  has(key: string, now: number): boolean {
    this.rotate(now);
    return this.current.has(key) || this.previous.has(key);
  }

  private rotate(now: number): void {
    if (now - this.rotated < this.span) return;
    // A gap longer than two spans leaves nothing worth remembering.
    this.previous = now - this.rotated < 2 * this.span ? this.current : new Set();
    this.current = new Set();
    this.rotated = now;
  }
}
