/**
 * A header of a received message read through drachtio-sip's typed registry (parsed on first
 * read, then cached on the message). The UA's rules treat a malformed optional header as an
 * absent one, as they would an unknown extension: the message itself is not refused for it.
 */
import type { HeaderValueOf, SipMessage } from 'drachtio-sip';

export function typedHeader<N extends string>(
  message: SipMessage,
  name: N,
): HeaderValueOf<N> | undefined {
  try {
    return message.get(name) as HeaderValueOf<N> | undefined;
  } catch {
    return undefined;
  }
}

/** True when an option-tag list (Require, Supported) or Allow lists `tag` (case-insensitive). */
export function listsTag(tags: readonly string[] | undefined, tag: string): boolean {
  return tags?.some((item) => item.toLowerCase() === tag) ?? false;
}
