/** Node-style completion callback, offered next to the promise by every session method. */
export type Callback = (err: Error | null) => void;

/**
 * Hand `pending`'s outcome to `callback` when one is given (the returned promise then never
 * rejects, so nothing goes unhandled); otherwise return it as is.
 */
export function settle(pending: Promise<void>, callback?: Callback): Promise<void> {
  if (!callback) return pending;
  return pending.then(
    () => callback(null),
    (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
  );
}
