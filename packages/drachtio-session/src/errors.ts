/**
 * A session could not be loaded or saved because the store failed or did not answer in time.
 * `status` is the SIP status the middleware answers the request with (500 or 503).
 */
export class SessionStoreError extends Error {
  constructor(
    message: string,
    readonly status: number,
    override readonly cause?: unknown,
  ) {
    super(message);
    this.name = 'SessionStoreError';
  }
}

/** The session holds something JSON cannot carry (a cycle, a function where data is expected). */
export class SessionSerializationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SessionSerializationError';
  }
}
