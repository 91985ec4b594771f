/**
 * Header names are case-insensitive and many have a one-letter compact form (RFC 3261 7.3.3
 * and the extensions that registered one). Internally every header is known by its key: the
 * full name in lower case.
 */
export const COMPACT_FORMS = {
  a: 'accept-contact',
  b: 'referred-by',
  c: 'content-type',
  d: 'request-disposition',
  e: 'content-encoding',
  f: 'from',
  i: 'call-id',
  j: 'reject-contact',
  k: 'supported',
  l: 'content-length',
  m: 'contact',
  n: 'identity-info',
  o: 'event',
  r: 'refer-to',
  s: 'subject',
  t: 'to',
  u: 'allow-events',
  v: 'via',
  x: 'session-expires',
  y: 'identity',
} as const;
export type CompactForms = typeof COMPACT_FORMS;

/** Spellings that are not simply each word capitalized. */
const IRREGULAR_NAMES: Record<string, string> = {
  'call-id': 'Call-ID',
  cseq: 'CSeq',
  'www-authenticate': 'WWW-Authenticate',
  rseq: 'RSeq',
  rack: 'RAck',
  'min-se': 'Min-SE',
  'mime-version': 'MIME-Version',
  'p-asserted-identity': 'P-Asserted-Identity',
  'p-preferred-identity': 'P-Preferred-Identity',
  'sip-etag': 'SIP-ETag',
  'sip-if-match': 'SIP-If-Match',
};

/** The key of a header name: lower case, compact form expanded ("v" and "VIA" give "via"). */
export function headerKey(name: string): string {
  const lower = name.toLowerCase();
  return lower.length === 1 ? ((COMPACT_FORMS as Record<string, string>)[lower] ?? lower) : lower;
}

/** The conventional spelling of a header key, used when code adds a header by any spelling. */
export function canonicalHeaderName(key: string): string {
  const irregular = IRREGULAR_NAMES[key];
  if (irregular !== undefined) return irregular;
  let out = '';
  let upper = true;
  for (let i = 0; i < key.length; i++) {
    const ch = key[i];
    out += upper ? ch.toUpperCase() : ch;
    upper = ch === '-';
  }
  return out;
}
