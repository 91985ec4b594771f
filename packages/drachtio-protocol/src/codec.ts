import { ProtocolError } from './errors';
import { DEFAULT_MAX_FRAME_SIZE, FrameDecoder } from './framing';
import type { Envelope, Frame } from './messages';
import { validateEnvelope } from './validate';

/**
 * The JSON codec, version 1: a payload is one JSON envelope, optionally followed by a single LF
 * and a raw SIP message. JSON.stringify never writes a raw LF, so the first LF ends the JSON.
 */

const LF = 0x0a;

/** What a sender hands to the codec; SIP may be text or exact bytes. */
export interface OutgoingMessage {
  envelope: Envelope;
  sip?: string | Uint8Array;
}

/** The payload bytes of one message (without the frame's length prefix). */
export function encodePayload(message: OutgoingMessage): Buffer {
  const json = Buffer.from(JSON.stringify(message.envelope), 'utf8');
  if (message.sip === undefined) return json;
  const sip = typeof message.sip === 'string' ? Buffer.from(message.sip, 'utf8') : message.sip;
  return Buffer.concat([json, Buffer.from([LF]), sip]);
}

/**
 * One message, framed and ready for the socket. Written straight into a single buffer: this runs
 * for every SIP message the server hands to an application.
 */
export function encodeMessage(message: OutgoingMessage): Buffer {
  const json = JSON.stringify(message.envelope);
  const jsonLength = Buffer.byteLength(json, 'utf8');
  const { sip } = message;
  const sipLength =
    sip === undefined ? 0 : typeof sip === 'string' ? Buffer.byteLength(sip, 'utf8') : sip.length;
  const payloadLength = sip === undefined ? jsonLength : jsonLength + 1 + sipLength;
  const prefix = `${payloadLength}#`;
  const frame = Buffer.allocUnsafe(prefix.length + payloadLength);
  let at = frame.write(prefix, 0, 'latin1');
  at += frame.write(json, at, 'utf8');
  if (sip === undefined) return frame;
  frame[at++] = LF;
  if (typeof sip === 'string') frame.write(sip, at, 'utf8');
  else frame.set(sip, at);
  return frame;
}

/** Reads one payload: JSON envelope (validated) and the raw SIP after it, if any. */
export function decodePayload(payload: Uint8Array): Frame {
  const bytes = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
  const lf = bytes.indexOf(LF);
  const jsonBytes = lf === -1 ? bytes : bytes.subarray(0, lf);
  let parsed: unknown;
  try {
    parsed = JSON.parse(jsonBytes.toString('utf8'));
  } catch (err) {
    throw new ProtocolError('bad-json', `payload is not valid JSON: ${(err as Error).message}`);
  }
  const envelope = validateEnvelope(parsed);
  if (lf === -1) return { envelope };
  const sipBytes = bytes.subarray(lf + 1);
  return { envelope, sip: sipBytes.toString('utf8'), sipBytes };
}

export interface MessageReaderOptions {
  maxFrameSize?: number;
}

/**
 * Frames plus codec for one connection: push the bytes from the socket, get back decoded
 * messages and typed errors in the order they occurred. After a fatal FrameError (see
 * `broken`) the connection must be closed: the stream cannot be re-synchronised.
 */
export class MessageReader {
  private readonly frames: FrameDecoder;

  constructor(options: MessageReaderOptions = {}) {
    this.frames = new FrameDecoder({
      maxFrameSize: options.maxFrameSize ?? DEFAULT_MAX_FRAME_SIZE,
    });
  }

  get broken(): boolean {
    return this.frames.broken;
  }

  push(chunk: Uint8Array): Array<Frame | ProtocolError> {
    return this.frames.push(chunk).map((item) => {
      if (item instanceof ProtocolError) return item;
      try {
        return decodePayload(item);
      } catch (err) {
        if (err instanceof ProtocolError) return err;
        throw err;
      }
    });
  }
}
