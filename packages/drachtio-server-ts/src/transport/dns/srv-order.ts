/**
 * RFC 2782 target selection: the lowest priority first, and within one priority a weighted
 * random order, so load spreads over equal-priority servers as their weights say.
 */

export interface SrvTarget {
  name: string;
  port: number;
  priority: number;
  weight: number;
}

/** `random` returns a number in [0, 1); injected so the order can be checked in a unit test. */
export function orderSrv<T extends SrvTarget>(
  records: readonly T[],
  random: () => number = Math.random,
): T[] {
  // RFC 2782: a target of "." means the service is decidedly not available at this domain.
  const usable = records.filter((record) => record.name !== '' && record.name !== '.');
  const priorities = [...new Set(usable.map((record) => record.priority))].sort((a, b) => a - b);
  return priorities.flatMap((priority) =>
    weightedOrder(
      usable.filter((record) => record.priority === priority),
      random,
    ),
  );
}

/**
 * RFC 2782 "Usage rules": zero-weight records first, then repeatedly pick the first record whose
 * running weight sum reaches a random number in [0, total], and take it out of the set.
 */
function weightedOrder<T extends SrvTarget>(records: T[], random: () => number): T[] {
  const left = [
    ...records.filter((record) => record.weight === 0),
    ...records.filter((record) => record.weight !== 0),
  ];
  const ordered: T[] = [];
  while (left.length > 0) {
    const total = left.reduce((sum, record) => sum + record.weight, 0);
    const pick = Math.floor(random() * (total + 1));
    let running = 0;
    let index = left.findIndex((record) => (running += record.weight) >= pick);
    if (index < 0) index = left.length - 1;
    ordered.push(...left.splice(index, 1));
  }
  return ordered;
}
