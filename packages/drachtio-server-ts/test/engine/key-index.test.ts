/**
 * The typed-array hash index of the lingering records: keys found through collisions, still
 * found after others are deleted (backward shift, no tombstones), across growth and shrinking.
 * Collisions are forced with chosen hashes rather than hoped for.
 */
import { hashKey, KeyIndex } from '../../src/transaction/key-index';

/** An index over keys held in a list: a key's location is its position. */
function indexed() {
  const keys: string[] = [];
  const index = new KeyIndex((location, key) => keys[location] === key);
  const add = (key: string, hash = hashKey(key)): number => {
    keys.push(key);
    index.add(hash, keys.length - 1);
    return keys.length - 1;
  };
  return { keys, index, add };
}

test('FNV-1a over the characters, as 32 bits unsigned', () => {
  expect(hashKey('')).toBe(0x811c9dc5);
  expect(hashKey('a')).toBe(0xe40c292c);
  expect(hashKey('foobar')).toBe(0xbf9cf968);
});

test('a miss is -1; a hit is checked against the key, not only its hash', () => {
  const { index, add } = indexed();
  add('a', 7);
  expect(index.find('a', 7)).toBe(0);
  expect(index.find('b', 7)).toBe(-1); // same hash, other key
  expect(index.find('a', 8)).toBe(-1);
});

test('keys of one hash are all found, and stay found as others of the cluster go', () => {
  const { index, add } = indexed();
  const keys = ['a', 'b', 'c', 'd', 'e', 'f'];
  for (const key of keys) add(key, 5);
  for (const [location, key] of keys.entries()) expect(index.find(key, 5)).toBe(location);
  expect(index.remove(5, 1)).toBe(true);
  expect(index.remove(5, 1)).toBe(false);
  expect(index.remove(5, 4)).toBe(true);
  expect(index.find('b', 5)).toBe(-1);
  expect(index.find('e', 5)).toBe(-1);
  for (const key of ['a', 'c', 'd', 'f']) expect(index.find(key, 5)).toBe(keys.indexOf(key));
  expect(index.size).toBe(4);
});

test('a deletion shifts back only entries whose home allows it, across the wrap of the table', () => {
  const { index, add } = indexed();
  // 16 slots: homes 14, 14, 15, 0 fill slots 14, 15, 0, 1; then one homed at 1 goes to 2.
  add('p', 14);
  add('q', 14);
  add('r', 15);
  add('s', 0);
  add('t', 1);
  index.remove(14, 0); // p: q moves to 14, r to 15, s to 0, t to 1
  expect(['q', 'r', 's', 't'].map((key, i) => index.find(key, [14, 15, 0, 1][i]))).toEqual([
    1, 2, 3, 4,
  ]);
  index.remove(15, 2); // r: s and t are at home already, they stay
  expect(index.find('q', 14)).toBe(1);
  expect(index.find('s', 0)).toBe(3);
  expect(index.find('t', 1)).toBe(4);
});

test('it grows past half full and shrinks under an eighth, every key found throughout', () => {
  const { index, add } = indexed();
  const start = index.bytes;
  const key = (i: number): string => `z9hG4bK${i}|10.0.0.1:5060|INVITE`;
  // Every 97th shares one hash: a cluster that growth must spread and keep findable.
  const hashes = Array.from({ length: 5000 }, (_, i) => (i % 97 === 0 ? 3 : hashKey(key(i))));
  for (let i = 0; i < 5000; i++) add(key(i), hashes[i]);
  expect(start).toBe(16 * 12);
  expect(index.bytes).toBe(16384 * 12); // the first power of two at least twice 5000
  for (let i = 0; i < 5000; i++) expect(index.find(key(i), hashes[i])).toBe(i);
  for (let i = 0; i < 4990; i++) expect(index.remove(hashes[i], i)).toBe(true);
  expect(index.size).toBe(10);
  expect(index.bytes).toBeLessThanOrEqual(128 * 12);
  for (let i = 4990; i < 5000; i++) expect(index.find(key(i), hashes[i])).toBe(i);
  index.clear();
  expect(index.bytes).toBe(start);
  expect(index.find(key(4999), hashes[4999])).toBe(-1);
});

test('random adds and removes over few hashes agree with a Map', () => {
  const { index, add } = indexed();
  const expected = new Map<string, { location: number; hash: number }>();
  let seed = 42;
  const random = (n: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed % n;
  };
  for (let step = 0; step < 20000; step++) {
    const key = `k${random(300)}`;
    const entry = expected.get(key);
    if (entry) {
      expect(index.remove(entry.hash, entry.location)).toBe(true);
      expected.delete(key);
    } else {
      const hash = random(8); // heavy collisions, clusters across the whole table
      expected.set(key, { location: add(key, hash), hash });
    }
    if (step % 1000 === 0)
      for (const [k, { location, hash }] of expected) expect(index.find(k, hash)).toBe(location);
  }
  expect(index.size).toBe(expected.size);
  for (const [k, { location, hash }] of expected) expect(index.find(k, hash)).toBe(location);
});
