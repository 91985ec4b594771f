type Settle<T> = { resolve: (value: T) => void; reject: (error: Error) => void };

/**
 * A result that can be awaited but need not be: the promise is only created when someone
 * calls `then`, so a failure nobody awaits does not become an unhandled rejection — the
 * owner reports it another way (`observed` tells whether anyone is listening).
 */
export class Outcome<T> implements PromiseLike<T> {
  private result?: { ok: true; value: () => T } | { ok: false; error: Error };
  private promise?: Promise<T>;
  private settle?: Settle<T>;

  get observed(): boolean {
    return this.promise !== undefined;
  }

  get settled(): boolean {
    return this.result !== undefined;
  }

  resolve(value: T): void {
    this.resolveWith(() => value);
  }

  /**
   * Resolves with a value computed only if someone awaits it (now or later): most callers of
   * `res.send()` never look at the message it returns, and parsing it is not free. A throw from
   * `compute` becomes the rejection.
   */
  resolveWith(compute: () => T): void {
    if (this.result) return;
    this.result = { ok: true, value: compute };
    if (this.settle) this.deliver(this.settle);
  }

  reject(error: Error): void {
    if (this.result) return;
    this.result = { ok: false, error };
    if (this.settle) this.deliver(this.settle);
  }

  then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    if (!this.promise) {
      this.promise = new Promise<T>((resolve, reject) => {
        this.settle = { resolve, reject };
        this.deliver(this.settle);
      });
    }
    return this.promise.then(onFulfilled, onRejected);
  }

  private deliver(settle: Settle<T>): void {
    const result = this.result;
    if (!result) return;
    if (!result.ok) return settle.reject(result.error);
    try {
      settle.resolve(result.value());
    } catch (error) {
      settle.reject(error as Error);
    }
  }
}
