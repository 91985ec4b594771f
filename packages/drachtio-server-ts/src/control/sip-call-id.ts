/** The Call-ID of a raw SIP message (long or compact form), read from the header section only. */
export function callIdOf(raw: string): string | undefined {
  const end = raw.search(/\r?\n\r?\n/);
  const head = end === -1 ? raw : raw.slice(0, end);
  return /^(?:call-id|i)[ \t]*:[ \t]*(\S+)/im.exec(head)?.[1];
}
