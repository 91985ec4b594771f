import type { ErrorCode } from './messages';

/**
 * Everything that can go wrong while reading the wire ends up as a ProtocolError: a code from
 * the protocol's ErrorCode list, a sentence for humans, and — when it could still be read — the
 * rid of the request it concerns, so the reply can name it.
 */
export class ProtocolError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly rid?: string,
  ) {
    super(message);
    this.name = 'ProtocolError';
  }
}

/**
 * A framing problem. A fatal one (a length prefix that is not a number) means the byte stream
 * cannot be re-synchronised and the connection must be closed; a non-fatal one (an oversized
 * frame) has been skipped and reading goes on.
 */
export class FrameError extends ProtocolError {
  constructor(
    message: string,
    readonly fatal: boolean,
  ) {
    super('bad-frame', message);
    this.name = 'FrameError';
  }
}
