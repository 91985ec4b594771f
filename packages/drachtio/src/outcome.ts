/**
 * A result that can be awaited but need not be: the promise is only created when someone
 * calls `then`, so a failure nobody awaits does not become an unhandled rejection — the
 * owner reports it another way (`observed` tells whether anyone is listening).
 */
export class Outcome<T> implements PromiseLike<T> {
  private result?: { ok: true; value: T } | { ok: false; error: Error };
  private promise?: Promise<T>;
  private settle?: { resolve: (value: T) => void; reject: (error: Error) => void };

  get observed(): boolean {
    return this.promise !== undefined;
  }

  get settled(): boolean {
    return this.result !== undefined;
  }

  resolve(value: T): void {
    if (this.result) return;
    this.result = { ok: true, value };
    this.settle?.resolve(value);
  }

  reject(error: Error): void {
    if (this.result) return;
    this.result = { ok: false, error };
    this.settle?.reject(error);
  }

  then<R1 = T, R2 = never>(
    onFulfilled?: ((value: T) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    if (!this.promise) {
      this.promise = new Promise<T>((resolve, reject) => {
        this.settle = { resolve, reject };
      });
      if (this.result?.ok === true) this.settle?.resolve(this.result.value);
      else if (this.result?.ok === false) this.settle?.reject(this.result.error);
    }
    return this.promise.then(onFulfilled, onRejected);
  }
}
