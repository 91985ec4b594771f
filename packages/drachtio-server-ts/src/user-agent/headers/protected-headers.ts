/**
 * Headers the engine owns. An application that sets one has it dropped with a warning in the
 * server log (the seed's rule): the engine's transaction and dialog state depends on them.
 * 'always': never taken from the application. 'in-dialog': taken only for a request that
 * starts something new (a request outside a dialog may carry its own From, To and Route set,
 * and its own Call-ID and CSeq: RFC 3261 8.1.3.5 and 22.2 want a request re-sent with
 * credentials to keep the challenged one's Call-ID, From tag and To with the CSeq one higher,
 * and 10.2.4 the same for a registration refresh; the UAC checks the two before using them).
 */
export const PROTECTED_HEADERS: Readonly<Record<string, 'always' | 'in-dialog'>> = {
  'call-id': 'in-dialog',
  cseq: 'in-dialog',
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

/**
 * Whether an application-supplied header is the engine's to set in this context. Takes the
 * header's key (drachtio-sip's headerKey: lower case, compact forms expanded, so "i" is
 * Call-ID and the protection cannot be side-stepped).
 */
export function isProtected(key: string, context: 'new-request' | 'dialog'): boolean {
  const rule = PROTECTED_HEADERS[key];
  return rule === 'always' || (rule === 'in-dialog' && context === 'dialog');
}
