/** Every asynchronous call here takes an optional node-style callback and returns a promise. */
export type Callback<T> = (err: Error | null, value?: T) => void;

/**
 * Hands the outcome to the callback, when one is given, and returns the promise either way.
 * With a callback the promise's rejection counts as handled, so a caller who only uses the
 * callback never sees an unhandled rejection.
 */
export function settle<T>(promise: Promise<T>, callback?: Callback<T>): Promise<T> {
  if (callback) {
    promise.then(
      (value) => callback(null, value),
      (error: Error) => callback(error),
    );
  }
  return promise;
}

/** Splits `(options?, callback?)` the way every method here accepts it. */
export function optionsAndCallback<O extends object, T>(
  options: O | Callback<T> | undefined,
  callback: Callback<T> | undefined,
): [Partial<O>, Callback<T> | undefined] {
  return typeof options === 'function' ? [{}, options] : [options ?? {}, callback];
}
