/**
 * Loop detection (RFC 3261 16.3 step 4, 16.6 step 8). The branch of every request this proxy
 * forwards carries a hash of what decided where it went (Request-URI, Route, tags, Call-ID,
 * CSeq number, Proxy-Require, Proxy-Authorization). A request that comes back with one of our
 * Vias is a spiral when the hash differs (it was re-targeted: forward it) and a loop when it is
 * the same (482).
 */
import { createHash, randomBytes } from 'node:crypto';
import { MAGIC_COOKIE, newTransactionId } from '../../transaction/identifiers';

/** Per process, so that another server's (or an earlier run's) branches never look like ours. */
const OURS = `${MAGIC_COOKIE}dpx${randomBytes(3).toString('hex')}`;

export interface LoopFields {
  requestUri: string;
  routes: readonly string[];
  callId: string;
  fromTag: string | undefined;
  toTag: string | undefined;
  cseq: number;
  proxyRequire: string | undefined;
  proxyAuthorization: string | undefined;
}

export function loopHash(fields: LoopFields): string {
  return createHash('sha1')
    .update(
      [
        fields.requestUri,
        fields.routes.join(','),
        fields.callId,
        fields.fromTag ?? '',
        fields.toTag ?? '',
        String(fields.cseq),
        fields.proxyRequire ?? '',
        fields.proxyAuthorization ?? '',
      ].join('\n'),
    )
    .digest('hex')
    .slice(0, 12);
}

/** The Via branch of a request this proxy forwards (RFC 3261 16.6 step 8). */
export function proxyBranch(hash: string): string {
  return `${OURS}${hash}.${newTransactionId()}`;
}

/** A branch this proxy generated: a response with it belongs to the proxy core. */
export function isProxyBranch(branch: string | undefined): boolean {
  return branch?.startsWith(OURS) === true;
}

/** True when one of the request's Via branches is ours with the same hash: a loop. */
export function isLoop(branches: readonly (string | undefined)[], hash: string): boolean {
  return branches.some((branch) => branch?.startsWith(`${OURS}${hash}.`) === true);
}
