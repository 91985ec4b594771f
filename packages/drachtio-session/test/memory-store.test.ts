import { MemoryStore } from '../src';

function clock(start = 1_000_000) {
  let now = start;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

describe('MemoryStore', () => {
  it('keeps a value until its ttl runs out', async () => {
    const time = clock();
    const store = new MemoryStore({ now: time.now });
    await store.set('a', 'one', 10);
    expect(await store.get('a')).toBe('one');
    time.advance(9_999);
    expect(await store.get('a')).toBe('one');
    time.advance(1);
    expect(await store.get('a')).toBeUndefined();
    expect(store.size).toBe(0);
  });

  it('touch restarts the ttl, destroy forgets', async () => {
    const time = clock();
    const store = new MemoryStore({ now: time.now });
    await store.set('a', 'one', 10);
    time.advance(8_000);
    await store.touch('a', 10);
    time.advance(8_000);
    expect(await store.get('a')).toBe('one');
    await store.destroy('a');
    expect(await store.get('a')).toBeUndefined();
    await store.touch('missing', 10);
    await store.destroy('missing');
    expect(await store.get('missing')).toBeUndefined();
  });

  it('never holds more than maxEntries: expired entries go first, then the oldest write', async () => {
    const time = clock();
    const store = new MemoryStore({ maxEntries: 3, now: time.now });
    await store.set('old', '1', 100);
    await store.set('short', '2', 1);
    await store.set('young', '3', 100);
    time.advance(2_000);
    await store.set('new', '4', 100);
    expect(store.size).toBe(3);
    expect(await store.get('old')).toBe('1');
    expect(await store.get('short')).toBeUndefined();
    await store.set('old', '1b', 100); // rewriting makes it the youngest
    await store.set('newest', '5', 100);
    expect(store.size).toBe(3);
    expect(await store.get('young')).toBeUndefined();
    expect(await store.get('old')).toBe('1b');
    expect(await store.get('new')).toBe('4');
    expect(await store.get('newest')).toBe('5');
  });

  it('rejects bad sizes and ttls with a clear error', async () => {
    expect(() => new MemoryStore({ maxEntries: 0 })).toThrow(
      /maxEntries must be a positive integer/,
    );
    const store = new MemoryStore();
    await expect(store.set('a', 'x', 0)).rejects.toThrow(/ttl must be a positive number/);
    await expect(store.touch('a', Number.NaN)).rejects.toThrow(/ttl must be a positive number/);
  });
});
