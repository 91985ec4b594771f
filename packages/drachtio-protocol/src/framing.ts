import { FrameError } from './errors';

/** Frames larger than this are refused unless the reader is told otherwise. */
export const DEFAULT_MAX_FRAME_SIZE = 1024 * 1024;

/** 10 digits hold any length a 32-bit size could describe; more is not a length prefix. */
const MAX_PREFIX_DIGITS = 10;
const HASH = 0x23;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

/** `<byte length>#<payload>`: the length counts bytes, so UTF-8 and binary payloads are safe. */
export function encodeFrame(payload: Uint8Array | string): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
  return Buffer.concat([Buffer.from(`${body.length}#`, 'latin1'), body]);
}

export interface FrameDecoderOptions {
  /** Largest payload accepted, in bytes (default 1 MiB). */
  maxFrameSize?: number;
}

/** What one push can yield: complete payloads, in order, and errors where they occurred. */
export type DecodedFrame = Buffer | FrameError;

/**
 * Incremental reader for a byte stream of frames (TCP): feed it chunks as they arrive, however
 * they are split, and it hands back each complete payload. Memory stays bounded by the maximum
 * frame size: an oversized frame is skipped byte by byte rather than buffered.
 */
export class FrameDecoder {
  readonly maxFrameSize: number;
  private prefix = '';
  /** Payload bytes still expected for the current frame; undefined while reading a prefix. */
  private remaining: number | undefined;
  private chunks: Buffer[] = [];
  private skipping = false;
  private failed = false;

  constructor(options: FrameDecoderOptions = {}) {
    this.maxFrameSize = options.maxFrameSize ?? DEFAULT_MAX_FRAME_SIZE;
  }

  /** Once a fatal error was reported, the stream is unusable and further pushes yield nothing. */
  get broken(): boolean {
    return this.failed;
  }

  push(chunk: Uint8Array): DecodedFrame[] {
    const out: DecodedFrame[] = [];
    let data = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    while (!this.failed && data.length > 0) {
      data =
        this.remaining === undefined ? this.readPrefix(data, out) : this.readPayload(data, out);
    }
    return out;
  }

  private readPrefix(data: Buffer, out: DecodedFrame[]): Buffer {
    for (let i = 0; i < data.length; i++) {
      const byte = data[i];
      if (byte === HASH) {
        this.startFrame(out);
        return data.subarray(i + 1);
      }
      if (byte < DIGIT_0 || byte > DIGIT_9) {
        return this.fail(
          out,
          `bad length prefix: byte 0x${byte.toString(16).padStart(2, '0')} where a digit or '#' was expected`,
        );
      }
      if (this.prefix.length === MAX_PREFIX_DIGITS) {
        return this.fail(out, `bad length prefix: more than ${MAX_PREFIX_DIGITS} digits`);
      }
      this.prefix += String.fromCharCode(byte);
    }
    return Buffer.alloc(0);
  }

  private startFrame(out: DecodedFrame[]): void {
    if (this.prefix.length === 0) {
      this.fail(out, "bad length prefix: '#' without a length");
      return;
    }
    const length = Number(this.prefix);
    this.prefix = '';
    this.skipping = length > this.maxFrameSize;
    if (this.skipping) {
      out.push(
        new FrameError(
          `frame of ${length} bytes exceeds the maximum of ${this.maxFrameSize}; skipped`,
          false,
        ),
      );
    }
    this.remaining = length;
    if (length === 0) this.finishFrame(out);
  }

  private readPayload(data: Buffer, out: DecodedFrame[]): Buffer {
    const remaining = this.remaining as number;
    const take = Math.min(remaining, data.length);
    if (!this.skipping) this.chunks.push(data.subarray(0, take));
    this.remaining = remaining - take;
    if (this.remaining === 0) this.finishFrame(out);
    return data.subarray(take);
  }

  private finishFrame(out: DecodedFrame[]): void {
    if (!this.skipping)
      out.push(this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks));
    this.chunks = [];
    this.remaining = undefined;
    this.skipping = false;
  }

  private fail(out: DecodedFrame[], reason: string): Buffer {
    this.failed = true;
    this.chunks = [];
    out.push(new FrameError(reason, true));
    return Buffer.alloc(0);
  }
}
