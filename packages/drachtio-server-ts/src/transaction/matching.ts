/**
 * Transaction matching keys, RFC 3261 17.1.3 (responses) and 17.2.3 (requests), with the
 * RFC 2543 fallback for requests whose branch lacks the magic cookie. ACK matches the INVITE
 * it acknowledges; CANCEL has its own transaction but finds its INVITE with the INVITE key.
 */
import type { Essentials } from './message-essentials';
import { MAGIC_COOKIE } from './identifiers';

export function serverKey(request: Essentials, method: string): string {
  const matchMethod = method === 'ACK' ? 'INVITE' : method;
  const { topVia } = request;
  if (topVia.branch?.startsWith(MAGIC_COOKIE)) {
    return `${topVia.branch}|${topVia.host}:${topVia.port ?? ''}|${matchMethod}`;
  }
  // RFC 2543: no usable branch. The To tag is left out so an ACK (which carries the tag of our
  // response) still matches its INVITE.
  return `2543|${request.callId}|${request.fromTag ?? ''}|${request.cseq.seq}|${request.topViaText}|${matchMethod}`;
}

export function clientKey(branch: string, cseqMethod: string): string {
  return `${branch}|${cseqMethod}`;
}
