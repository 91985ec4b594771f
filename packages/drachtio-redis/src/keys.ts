/**
 * Redis key of a session id: `<prefix>{<id>}`. The id sits in a hash tag so that every key made
 * for one call (`<prefix>{<id>}` and anything suffixed to it) hashes to the same Cluster slot.
 * Call-IDs may contain braces, which would end the tag early, so `%`, `{` and `}` are escaped.
 */
export function sessionKey(prefix: string, id: string): string {
  return `${prefix}{${id.replace(/[%{}]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}}`;
}
