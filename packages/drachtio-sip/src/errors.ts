/**
 * The one error type the grammar throws. Any byte sequence fed to a parser either yields a
 * result or a SipParseError; callers can rely on that to answer 400 or drop a datagram.
 */
export class SipParseError extends Error {
  /**
   * Which part of the input was wrong: 'start-line', 'header-section', 'body', 'framing', 'uri',
   * or the canonical (lower-case, full-form) name of the header whose value is malformed.
   */
  readonly part: string;
  /** Why, in words fit for a log line or a 400 reason phrase. */
  readonly reason: string;

  constructor(part: string, reason: string) {
    super(`invalid SIP ${part}: ${reason}`);
    this.name = 'SipParseError';
    this.part = part;
    this.reason = reason;
  }
}
