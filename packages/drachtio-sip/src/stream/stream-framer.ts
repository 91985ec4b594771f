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
 * connection.
 */
export class StreamFramer {
  private readonly maxHeaderBytes: number;
  private readonly maxBodyBytes: number;
  private readonly onPing: (() => void) | undefined;
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Total bytes of the message being received, once its header section is complete; else -1. */
  private expected = -1;
  /** Where to resume looking for CRLFCRLF, so a slow header is not rescanned from the start. */
  private searchFrom = 0;
  private failure: SipParseError | undefined;

  constructor(options: StreamFramerOptions = {}) {
    this.maxHeaderBytes = options.maxHeaderBytes ?? 65536;
    this.maxBodyBytes = options.maxBodyBytes ?? 262144;
    this.onPing = options.onPing;
  }

  /** Bytes received but not yet returned as part of a message. */
  get pendingBytes(): number {
    return this.buffered;
  }

  /** Feeds bytes; returns the messages they complete, in order (each one message's bytes). */
  push(chunk: Buffer): Buffer[] {
    if (this.failure) throw this.failure;
    const messages: Buffer[] = [];
    if (chunk.length === 0) return messages;
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    try {
      while (this.buffered > 0) {
        if (this.expected < 0 && !this.findHeaderEnd()) break;
        if (this.buffered < this.expected) break;
        const all = this.flatten();
        messages.push(all.subarray(0, this.expected));
        this.keep(all.subarray(this.expected));
        this.expected = -1;
        this.searchFrom = 0;
      }
    } catch (err) {
      this.failure = err instanceof SipParseError ? err : new SipParseError('framing', String(err));
      this.chunks = [];
      this.buffered = 0;
      throw this.failure;
    }
    return messages;
  }

  /** Skips keep-alives, then looks for the end of the header section; sets `expected` when found. */
  private findHeaderEnd(): boolean {
    let all = this.flatten();
    let skip = 0;
    while (all[skip] === 13 && all[skip + 1] === 10) {
      if (all[skip + 2] === 13 && all[skip + 3] === 10) {
        this.onPing?.();
        skip += 4;
      } else {
        skip += 2;
      }
    }
    if (skip > 0) {
      all = all.subarray(skip);
      this.keep(all);
      this.searchFrom = 0;
    }
    // a lone CR may be the first half of a keep-alive CRLF
    if (all.length === 0 || (all.length === 1 && all[0] === 13)) return false;
    const end = all.indexOf(CRLFCRLF, this.searchFrom);
    if (end < 0) {
      if (all.length > this.maxHeaderBytes)
        this.fail(`header section exceeds ${this.maxHeaderBytes} bytes`);
      this.searchFrom = Math.max(0, all.length - 3);
      return false;
    }
    if (end + 4 > this.maxHeaderBytes)
      this.fail(`header section exceeds ${this.maxHeaderBytes} bytes`);
    const contentLength = this.contentLength(all.toString('latin1', 0, end + 2));
    if (contentLength > this.maxBodyBytes)
      this.fail(`Content-Length ${contentLength} exceeds ${this.maxBodyBytes}`);
    this.expected = end + 4 + contentLength;
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

  private flatten(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks, this.buffered)];
    return this.chunks[0];
  }

  private keep(rest: Buffer): void {
    this.chunks = rest.length > 0 ? [rest] : [];
    this.buffered = rest.length;
  }

  private fail(reason: string): never {
    throw new SipParseError('framing', reason);
  }
}
