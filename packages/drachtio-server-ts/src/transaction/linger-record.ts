/**
 * The byte layout of one lingering record in a segment (linger-log.ts), so that no JS object or
 * string stays behind per finished transaction (see linger-table.ts for why). All little-endian:
 *
 *   0 u32 record length    4 f64 expires (Date.now() ms)   12 u8 state   13 u8 flags
 *  14 u8 transport        16 u16 port                     18 u16 address bytes
 *  20 u32 key hash        24 u32 merge key hash            28 u32 key bytes
 *  32 u32 merge key bytes 36 u32 response bytes
 *  40 key, merge key, address (UTF-8), final response
 *
 * Keys are stored latin1, one byte per character, as SIP's are; a key with a wider character is
 * stored UTF-16 (flagged) rather than lost.
 */
import type { Transport } from 'drachtio-protocol';
import type { Destination } from '../transport/transport';

export const EXPIRES = 4;
export const STATE = 12;
export const FLAGS = 13;
export const TRANSPORT = 14;
export const PORT = 16;
export const ADDRESS_BYTES = 18;
export const KEY_HASH = 20;
export const MERGE_HASH = 24;
export const KEY_BYTES = 28;
export const MERGE_BYTES = 32;
export const RESPONSE_BYTES = 36;
export const HEADER = 40;

/** STATE of a record that has ended (or was replaced) but whose bytes are not yet let go. */
export const ENDED = 0;

export const KEY_WIDE = 1;
export const MERGE_WIDE = 2;
/** The record still answers for its merge key (a later INVITE with the same one takes it over). */
export const MERGE_CLAIM = 4;
/** A stream connection waits in the table's map for this record. */
export const CONNECTION = 8;
/** A non-INVITE's final response and its destination follow the keys. */
export const ANSWER = 16;

/** Transport codes: the position plus one (0 when the record has no answer). */
export const TRANSPORTS: readonly Transport[] = ['udp', 'tcp', 'tls', 'ws', 'wss'];

const WIDE_CHARACTER = /[\u0100-\uffff]/;

/** Bytes `text` takes in a record, and whether it goes as UTF-16. */
export function textBytes(text: string): number {
  return WIDE_CHARACTER.test(text) ? text.length * 2 : text.length;
}

export function writeText(buffer: Buffer, at: number, text: string, bytes: number): void {
  buffer.write(text, at, bytes, bytes === text.length ? 'latin1' : 'utf16le');
}

/** Whether the `bytes` at `at` hold `text`: compared where they lie, no string made. */
function textMatches(
  buffer: Buffer,
  at: number,
  bytes: number,
  wide: boolean,
  text: string,
): boolean {
  if (bytes !== (wide ? text.length * 2 : text.length)) return false;
  if (wide) {
    for (let i = 0; i < text.length; i++)
      if (buffer.readUInt16LE(at + 2 * i) !== text.charCodeAt(i)) return false;
    return true;
  }
  for (let i = 0; i < bytes; i++) if (buffer[at + i] !== text.charCodeAt(i)) return false;
  return true;
}

/** Whether the record at `at` is stored under `key`. */
export function keyMatches(buffer: Buffer, at: number, key: string): boolean {
  const wide = (buffer[at + FLAGS] & KEY_WIDE) !== 0;
  return textMatches(buffer, at + HEADER, buffer.readUInt32LE(at + KEY_BYTES), wide, key);
}

/** Whether the record at `at` has `mergeKey` (it follows the key). */
export function mergeKeyMatches(buffer: Buffer, at: number, mergeKey: string): boolean {
  const wide = (buffer[at + FLAGS] & MERGE_WIDE) !== 0;
  const mergeAt = at + HEADER + buffer.readUInt32LE(at + KEY_BYTES);
  return textMatches(buffer, mergeAt, buffer.readUInt32LE(at + MERGE_BYTES), wide, mergeKey);
}

/** A non-INVITE record's final and its destination, made anew: a retransmission is rare. */
export function readAnswer(
  buffer: Buffer,
  at: number,
): { response: Buffer; destination: Destination } {
  const addressAt =
    at + HEADER + buffer.readUInt32LE(at + KEY_BYTES) + buffer.readUInt32LE(at + MERGE_BYTES);
  const addressEnd = addressAt + buffer.readUInt16LE(at + ADDRESS_BYTES);
  const responseEnd = addressEnd + buffer.readUInt32LE(at + RESPONSE_BYTES);
  return {
    // A copy: a view would keep the whole segment alive while the send is queued.
    response: Buffer.from(buffer.subarray(addressEnd, responseEnd)),
    destination: {
      address: buffer.toString('utf8', addressAt, addressEnd),
      port: buffer.readUInt16LE(at + PORT),
      transport: TRANSPORTS[buffer[at + TRANSPORT] - 1],
    },
  };
}
