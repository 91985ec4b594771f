/**
 * The same text, not tied to the message it was cut from. drachtio-sip hands out header values
 * as slices of the whole header block, and V8 keeps that block (about 1 KB) alive as long as any
 * slice of it is: what a dialog or a lingering transaction keeps is copied, the rest is not.
 * Through bytes and back, V8 builds a new flat string: 33 bytes smaller than slicing a copy
 * (` ${text}`.slice(1) kept a 32-byte slice over it, 128 bytes per held dialog) and about twice
 * as fast (bench measured 0.5 against 1 µs for 60 to 100 characters). Lossless: the strings
 * come from decoded bytes, so they hold no lone surrogate.
 */
export function detached(text: string): string {
  return Buffer.from(text, 'utf8').toString('utf8');
}
