/** RFC 2782 ordering as pure math: priorities ascending, weights deciding within one. */
import { orderSrv } from '../../src/transport/dns/srv-order';

const srv = (name: string, priority: number, weight: number) => ({
  name,
  port: 5060,
  priority,
  weight,
});

/** A fixed sequence of "random" numbers in [0, 1). */
function sequence(...values: number[]): () => number {
  let index = 0;
  return () => values[index++ % values.length] ?? 0;
}

test('lower priority always comes first, whatever the weights', () => {
  const ordered = orderSrv([srv('b', 20, 100), srv('a', 10, 0), srv('c', 30, 5)], Math.random);
  expect(ordered.map((r) => r.name)).toEqual(['a', 'b', 'c']);
});

test('within a priority the running weight sum picks: a low draw takes the first record', () => {
  // weights 10 and 90, total 100: a draw of 0.05 -> 5 <= 10 takes x; then y is all that is left.
  const ordered = orderSrv([srv('x', 10, 10), srv('y', 10, 90)], sequence(0.05));
  expect(ordered.map((r) => r.name)).toEqual(['x', 'y']);
});

test('within a priority a high draw takes the heavier record first', () => {
  // 0.5 * 101 -> 50 > 10, so the running sum reaches it at y (100).
  const ordered = orderSrv([srv('x', 10, 10), srv('y', 10, 90)], sequence(0.5));
  expect(ordered.map((r) => r.name)).toEqual(['y', 'x']);
});

test('zero-weight records come first in the draw, as RFC 2782 orders them', () => {
  // a draw of 0 selects the first record whose running sum is >= 0: the zero-weight one.
  const ordered = orderSrv([srv('w', 10, 50), srv('z', 10, 0)], sequence(0));
  expect(ordered.map((r) => r.name)).toEqual(['z', 'w']);
});

test('over many draws, weights 1:3 give the heavier record first about 3/4 of the time', () => {
  let heavyFirst = 0;
  const runs = 4000;
  for (let i = 0; i < runs; i++) {
    const [first] = orderSrv([srv('light', 1, 1), srv('heavy', 1, 3)]);
    if (first?.name === 'heavy') heavyFirst++;
  }
  // exact share: draws 0..4 uniformly, light takes 0 and 1 -> heavy first 3/5 of the time
  expect(heavyFirst / runs).toBeGreaterThan(0.55);
  expect(heavyFirst / runs).toBeLessThan(0.65);
});

test('a "." target means no service there (RFC 2782) and is left out', () => {
  expect(orderSrv([srv('.', 0, 0), srv('a', 1, 0)]).map((r) => r.name)).toEqual(['a']);
});
