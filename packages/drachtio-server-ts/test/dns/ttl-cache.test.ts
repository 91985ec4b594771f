/** The DNS cache: answers expire with their TTL, and the oldest go first when it is full. */
import { TtlCache } from '../../src/transport/dns/ttl-cache';

test('an answer is kept for its TTL and forgotten after it', () => {
  let now = 0;
  const cache = new TtlCache<string[]>(10, () => now);
  cache.set('A a.example.test', ['192.0.2.1'], 30);
  now = 29_999;
  expect(cache.get('A a.example.test')).toEqual(['192.0.2.1']);
  now = 30_000;
  expect(cache.get('A a.example.test')).toBeUndefined();
});

test('a TTL of 0 is not cached', () => {
  const cache = new TtlCache<string[]>(10);
  cache.set('A zero.example.test', ['192.0.2.1'], 0);
  expect(cache.get('A zero.example.test')).toBeUndefined();
});

test('the cache never holds more than its bound: the oldest entry is dropped', () => {
  const cache = new TtlCache<number>(3);
  for (let i = 0; i < 100; i++) cache.set(`name${i}`, i, 60);
  expect(cache.size).toBe(3);
  expect(cache.get('name96')).toBeUndefined();
  expect(cache.get('name99')).toBe(99);
});
