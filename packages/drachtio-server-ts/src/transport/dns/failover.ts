/**
 * RFC 3263 4.3: the targets a request may still go to, and when it moves on. A transport error,
 * a timeout or a 503 before any other response sends it to the next target in a new client
 * transaction; anything heard from a server (a provisional included) settles where it went.
 */
import type { Destination } from '../transport';

export type Outcome = 'unreachable' | 'timeout' | number;

export class Targets {
  private index = 0;

  constructor(private readonly list: readonly Destination[]) {}

  /** The next target when `outcome` calls for one; undefined when it stands or none is left. */
  next(outcome: Outcome): Destination | undefined {
    if (typeof outcome === 'number' && outcome !== 503) return undefined;
    if (this.index + 1 >= this.list.length) return undefined;
    this.index += 1;
    return this.list[this.index];
  }

  get remaining(): number {
    return this.list.length - this.index - 1;
  }
}
