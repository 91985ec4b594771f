/** Every failure this package reports has its own class, so callers can tell them apart. */
import type { MsmlResult } from './parser/read';

export type MsmlParseErrorCode =
  /** The body is larger than the parser accepts. */
  | 'too-large'
  /** Not well-formed XML. */
  | 'not-xml'
  /** Well-formed XML, but its root is not `<msml>`. */
  | 'not-msml'
  /** An MSML version this package does not speak. */
  | 'bad-version'
  /** Deeper or with more elements than the parser accepts. */
  | 'too-complex'
  /** MSML, but not the element the caller expected (e.g. no `<result>` in a response). */
  | 'unexpected';

export class MsmlParseError extends Error {
  constructor(
    readonly code: MsmlParseErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'MsmlParseError';
  }
}

/** A document that cannot be written (e.g. a control character in an attribute). */
export class MsmlBuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MsmlBuildError';
  }
}

/** The media server answered a command with a non-200 `<result>`. */
export class MsmlResultError extends Error {
  readonly response: number;
  readonly description?: string;
  constructor(readonly result: MsmlResult) {
    super(
      `media server answered ${result.response}${result.description ? `: ${result.description}` : ''}`,
    );
    this.name = 'MsmlResultError';
    this.response = result.response;
    this.description = result.description;
  }
}

/** The SIP request carrying MSML failed (non-2xx, timeout) or the dialog is gone. */
export class MsmlTransportError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'MsmlTransportError';
  }
}
