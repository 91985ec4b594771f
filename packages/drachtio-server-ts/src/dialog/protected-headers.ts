import { headerKey } from 'drachtio-sip';

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

/** Whether an application-supplied header is the engine's to set in this context. */
export function isProtected(name: string, context: 'new-request' | 'dialog'): boolean {
  // headerKey expands compact forms ("i" is Call-ID), so the protection cannot be side-stepped.
  const rule = PROTECTED_HEADERS[headerKey(name.trim())];
  return rule === 'always' || (rule === 'in-dialog' && context === 'dialog');
}
