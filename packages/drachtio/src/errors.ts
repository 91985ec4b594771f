import { ProtocolError, type ErrorCode } from 'drachtio-protocol';

/**
 * drachtio-server-ts refused a command; `code` is the wire's error code (see docs/protocol.md).
 * A ProtocolError like every error that carries a wire code, so one `instanceof` covers them all.
 */
export class ServerError extends ProtocolError {
  constructor(code: ErrorCode, message: string) {
    super(code, message);
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
