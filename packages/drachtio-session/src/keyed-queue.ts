/**
 * Runs async tasks one at a time per key, in arrival order. Each update of a stored session is a
 * read-modify-write, so two updates of one session must not interleave; different sessions
 * proceed in parallel. Idle keys are dropped, so the map is as large as the work in progress.
 */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
