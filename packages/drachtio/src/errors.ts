import type { ErrorCode } from 'drachtio-protocol';

/** drachtio-server-ts refused a command; `code` is the wire's error code (see docs/protocol.md). */
export class ServerError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ServerError';
  }
}

/** The application is not (or no longer) connected to drachtio-server-ts. */
export class NotConnectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotConnectedError';
  }
}
