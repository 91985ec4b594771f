/**
 * The same text, not tied to the message it was cut from. drachtio-sip hands out header values
 * as slices of the whole header block, and V8 keeps that block (about 1 KB) alive as long as any
 * slice of it is: what a dialog or a lingering transaction keeps is copied, the rest is not.
 * Prepending a character makes V8 build a new flat string; the slice then points into that copy.
 */
export function detached(text: string): string {
  return ` ${text}`.slice(1);
}
