import { SipParseError } from '../errors';
import { isDigit, isTokenChar, isWhitespace } from '../grammar/chars';
import { headerKey } from '../headers/names';

export interface StreamFramerOptions {
  /** Largest header section (start line to the empty line) accepted; default 64 KiB. */
  maxHeaderBytes?: number;
  /** Largest Content-Length accepted; default 256 KiB. */
  maxBodyBytes?: number;
  /** Called for each CRLFCRLF keep-alive ping between messages (RFC 5626 4.4.1 expects a CRLF pong). */
  onPing?: () => void;
}

const CRLFCRLF = Buffer.from('\r\n\r\n');

/**
 * Cuts a stream-transport byte stream (TCP, TLS) into SIP messages using Content-Length, which
 * RFC 3261 18.3 makes mandatory there. After a framing error the stream cannot be resynchronized:
 * push() throws SipParseError (part 'framing') from then on and the transport should close the
 * connection. When the bad bytes follow complete messages in the same chunk, push() returns
 * those messages first (they deserve their responses) and sets `failure`; the next push throws.
 *
 * Bytes are kept in one buffer that grows by doubling, so a message trickling in one byte at a
 * time costs linear time. Bytes handed out as a message are never written again (a parsed
 * message may still read its body from them): when the buffer is full, the unread part moves
 * to a new one.
 */
export class StreamFramer {
  private readonly maxHeaderBytes: number;
  private readonly maxBodyBytes: number;
  private readonly onPing: (() => void) | undefined;
  private buffer = Buffer.alloc(0);
  /** Unread bytes are buffer[start, end). */
  private start = 0;
  private end = 0;
  /** Total bytes of the message being received, once its header section is complete; else -1. */
  private expected = -1;
  /** Where to resume looking for CRLFCRLF (relative to start), so a slow header is not rescanned. */
  private searchFrom = 0;
  private failed: SipParseError | undefined;

  constructor(options: StreamFramerOptions = {}) {
    this.maxHeaderBytes = options.maxHeaderBytes ?? 65536;
    this.maxBodyBytes = options.maxBodyBytes ?? 262144;
    this.onPing = options.onPing;
  }

  /** The framing error, once the stream is known to be broken. */
  get failure(): SipParseError | undefined {
    return this.failed;
  }

  /** Bytes received but not yet returned as part of a message. */
  get pendingBytes(): number {
    return this.end - this.start;
  }

  /** Feeds bytes; returns the messages they complete, in order (each one message's bytes). */
  push(chunk: Buffer): Buffer[] {
    if (this.failed) throw this.failed;
    const messages: Buffer[] = [];
    if (chunk.length === 0) return messages;
    this.append(chunk);
    try {
      while (this.end > this.start) {
        if (this.expected < 0 && !this.findHeaderEnd()) break;
        if (this.end - this.start < this.expected) break;
        messages.push(this.buffer.subarray(this.start, this.start + this.expected));
        this.start += this.expected;
        this.expected = -1;
        this.searchFrom = 0;
      }
    } catch (err) {
      this.failed = err instanceof SipParseError ? err : new SipParseError('framing', String(err));
      this.buffer = Buffer.alloc(0);
      this.start = this.end = 0;
      if (messages.length === 0) throw this.failed;
    }
    return messages;
  }

  private append(chunk: Buffer): void {
    if (this.buffer.length - this.end < chunk.length) {
      const unread = this.end - this.start;
      const grown = Buffer.allocUnsafe(Math.max(4096, 2 * (unread + chunk.length)));
      this.buffer.copy(grown, 0, this.start, this.end);
      this.buffer = grown;
      this.start = 0;
      this.end = unread;
    }
    chunk.copy(this.buffer, this.end);
    this.end += chunk.length;
  }

  /** Skips keep-alives, then looks for the end of the header section; sets `expected` when found. */
  private findHeaderEnd(): boolean {
    const b = this.buffer;
    while (this.end - this.start >= 2 && b[this.start] === 13 && b[this.start + 1] === 10) {
      if (this.end - this.start >= 4 && b[this.start + 2] === 13 && b[this.start + 3] === 10) {
        this.onPing?.();
        this.start += 4;
      } else {
        this.start += 2;
      }
      this.searchFrom = 0;
    }
    const unread = this.buffer.subarray(this.start, this.end);
    // a lone CR may be the first half of a keep-alive CRLF
    if (unread.length === 0 || (unread.length === 1 && unread[0] === 13)) return false;
    const headerEnd = unread.indexOf(CRLFCRLF, this.searchFrom);
    if (headerEnd < 0) {
      if (unread.length > this.maxHeaderBytes)
        this.fail(`header section exceeds ${this.maxHeaderBytes} bytes`);
      this.searchFrom = Math.max(0, unread.length - 3);
      return false;
    }
    if (headerEnd + 4 > this.maxHeaderBytes)
      this.fail(`header section exceeds ${this.maxHeaderBytes} bytes`);
    const contentLength = this.contentLength(unread.toString('latin1', 0, headerEnd + 2));
    if (contentLength > this.maxBodyBytes)
      this.fail(`Content-Length ${contentLength} exceeds ${this.maxBodyBytes}`);
    this.expected = headerEnd + 4 + contentLength;
    return true;
  }

  private contentLength(head: string): number {
    let found = -1;
    let lineStart = head.indexOf('\r\n') + 2;
    while (lineStart > 1 && lineStart < head.length) {
      const lineEnd = head.indexOf('\r\n', lineStart);
      let i = lineStart;
      while (i < lineEnd && isTokenChar(head.charCodeAt(i))) i++;
      const nameEnd = i;
      while (i < lineEnd && isWhitespace(head.charCodeAt(i))) i++;
      if (
        nameEnd > lineStart &&
        head.charCodeAt(i) === 58 &&
        headerKey(head.slice(lineStart, nameEnd)) === 'content-length'
      ) {
        const value = head.slice(i + 1, lineEnd).trim();
        if (
          value.length === 0 ||
          value.length > 10 ||
          ![...value].every((c) => isDigit(c.charCodeAt(0)))
        ) {
          this.fail('malformed Content-Length');
        }
        const n = Number(value);
        if (found >= 0 && found !== n) this.fail('conflicting Content-Length headers');
        found = n;
      }
      lineStart = lineEnd + 2;
    }
    if (found < 0) this.fail('no Content-Length on a stream transport');
    return found;
  }

  private fail(reason: string): never {
    throw new SipParseError('framing', reason);
  }
}
