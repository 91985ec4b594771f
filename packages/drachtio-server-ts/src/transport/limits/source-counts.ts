/**
 * How many of something each source address holds right now (TCP connections, live server
 * transactions), with a cap per address and in total. An address is forgotten at zero, so the
 * map never holds more entries than there are open things.
 */
export class SourceCounts {
  private readonly counts = new Map<string, number>();
  private all = 0;

  constructor(
    private readonly perAddress: number,
    private readonly total: number = Number.POSITIVE_INFINITY,
  ) {}

  get size(): number {
    return this.all;
  }

  count(address: string): number {
    return this.counts.get(address) ?? 0;
  }

  /** Takes one for `address`; undefined when granted, else which cap refused it. */
  acquire(address: string): 'per-address' | 'total' | undefined {
    const held = this.counts.get(address) ?? 0;
    if (held >= this.perAddress) return 'per-address';
    if (this.all >= this.total) return 'total';
    this.counts.set(address, held + 1);
    this.all++;
    return undefined;
  }

  release(address: string): void {
    const held = this.counts.get(address);
    if (held === undefined) return;
    this.all--;
    if (held <= 1) this.counts.delete(address);
    else this.counts.set(address, held - 1);
  }
}
