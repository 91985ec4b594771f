/**
 * Headers the engine owns. An application that sets one has it dropped with a warning in the
 * server log (the seed's rule): the engine's transaction and dialog state depends on them.
 * 'always': never taken from the application. 'in-dialog': taken only for a request that
 * starts something new (a request outside a dialog may carry its own From, To and Route set).
 */
export const PROTECTED_HEADERS: Readonly<Record<string, 'always' | 'in-dialog'>> = {
  'call-id': 'always',
  cseq: 'always',
  via: 'always',
  'max-forwards': 'always',
  'content-length': 'always',
  rseq: 'always',
  rack: 'always',
  from: 'in-dialog',
  to: 'in-dialog',
  route: 'in-dialog',
  'record-route': 'in-dialog',
};

/** RFC 3261 compact header names, expanded so the protection cannot be side-stepped. */
const COMPACT_NAMES: Readonly<Record<string, string>> = {
  i: 'call-id',
  v: 'via',
  l: 'content-length',
  f: 'from',
  t: 'to',
  m: 'contact',
  c: 'content-type',
  e: 'content-encoding',
  k: 'supported',
  s: 'subject',
  o: 'event',
  r: 'refer-to',
  x: 'session-expires',
};

export function canonicalHeaderName(name: string): string {
  const lower = name.trim().toLowerCase();
  return COMPACT_NAMES[lower] ?? lower;
}

/** Whether an application-supplied header is the engine's to set in this context. */
export function isProtected(name: string, context: 'new-request' | 'dialog'): boolean {
  const rule = PROTECTED_HEADERS[canonicalHeaderName(name)];
  return rule === 'always' || (rule === 'in-dialog' && context === 'dialog');
}
