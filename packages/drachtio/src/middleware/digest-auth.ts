import { createChallenge, isSupportedAlgorithm, serializeChallenge, verifyDigest, type AuthHeader } from 'drachtio-sip';
import type { Middleware, NextFunction } from './stack';
import type { Request } from '../uas/request';
import type { Response } from '../uas/response';

/** What the password lookup may hand back: the password itself, or a precomputed HA1. */
export type PasswordResult = string | { ha1: string } | null | undefined;

/**
 * `fn(realm, user, cb)`: find the user's secret. Call back with the password (or `{ ha1 }`),
 * or with null/undefined for an unknown user; or return a promise of the same.
 */
export type PasswordLookup = (
  realm: string,
  user: string,
  callback: (err: Error | null, result?: PasswordResult) => void,
) => unknown;

export interface DigestAuthOptions {
  /** Seconds a nonce stays valid; using it later gets a new challenge with stale=true (default 300). */
  nonceTtl?: number;
  /** Algorithm offered in the challenge: 'MD5' (default), 'SHA-256', 'SHA-512-256' (RFC 7616). */
  algorithm?: string;
  /** Challenge as a proxy (407 + Proxy-Authenticate) instead of a registrar (401 + WWW-Authenticate). */
  proxy?: boolean;
  /** Nonces remembered at once; the oldest is forgotten beyond this (default 10000). */
  maxNonces?: number;
}

/** Who authenticated, available to later middleware as `req.authorization`. */
export interface AuthorizedUser {
  username: string;
  realm: string;
}

interface NonceState {
  issuedAt: number;
  /** Highest nonce-count seen: a request must count up, so a replayed one is refused. */
  lastCount: number;
}

/**
 * Digest authentication middleware (RFC 2617 / RFC 7616 through drachtio-sip): challenges
 * requests without credentials, verifies the response against the password or HA1 that
 * `lookup` finds, refuses replayed nonce-counts, and marks expired nonces stale so clients
 * retry without asking their user. Unknown users and wrong passwords get 403.
 */
export function digestAuth(realm: string, lookup: PasswordLookup, options: DigestAuthOptions = {}): Middleware {
  if (typeof realm !== 'string' || realm.length === 0) throw new TypeError('digestAuth(realm, fn): realm must be a non-empty string');
  if (typeof lookup !== 'function') throw new TypeError('digestAuth(realm, fn): fn(realm, user, callback) is required');
  const algorithm = options.algorithm ?? 'MD5';
  if (!isSupportedAlgorithm(algorithm)) throw new TypeError(`digestAuth: unsupported algorithm ${algorithm}`);
  const ttlMs = (options.nonceTtl ?? 300) * 1000;
  const maxNonces = options.maxNonces ?? 10_000;
  const status = options.proxy ? 407 : 401;
  const challengeHeader = options.proxy ? 'Proxy-Authenticate' : 'WWW-Authenticate';
  const credentialsHeader = options.proxy ? 'proxy-authorization' : 'authorization';
  const nonces = new Map<string, NonceState>();

  function challenge(res: Response, stale: boolean): void {
    const header = createChallenge({ realm, algorithm, qop: 'auth', stale });
    if (nonces.size >= maxNonces) nonces.delete(nonces.keys().next().value as string);
    nonces.set(header.params.nonce, { issuedAt: Date.now(), lastCount: 0 });
    res.send(status, { headers: { [challengeHeader]: serializeChallenge(header) } });
  }

  /** Checks the nonce and its count; answers with a new challenge and returns false when they do not hold. */
  function nonceAcceptable(p: Record<string, string>, res: Response): boolean {
    const state = nonces.get(p.nonce);
    // Unknown nonces are most likely ours from before a restart: stale, so the client retries silently.
    if (!state || Date.now() - state.issuedAt > ttlMs) {
      nonces.delete(p.nonce);
      challenge(res, true);
      return false;
    }
    if (p.qop === undefined) {
      // RFC 2069 style (no qop, no count): the nonce is good for one request only.
      nonces.delete(p.nonce);
      return true;
    }
    const count = /^[0-9a-fA-F]{8}$/.test(p.nc ?? '') ? parseInt(p.nc, 16) : NaN;
    if (!(count > state.lastCount)) {
      challenge(res, false);
      return false;
    }
    state.lastCount = count;
    return true;
  }

  return (req: Request, res: Response, next: NextFunction): void => {
    let credentials: AuthHeader | undefined;
    try {
      credentials = (req.get(credentialsHeader) as AuthHeader[] | undefined)?.find(
        (candidate) => candidate.scheme.toLowerCase() === 'digest' && candidate.params.realm === realm,
      );
    } catch {
      res.send(400, `Malformed ${credentialsHeader} header`);
      return;
    }
    if (!credentials) return challenge(res, false);
    const p = credentials.params;
    if (!p.username || !p.nonce || !p.uri || !p.response) {
      res.send(400, `Incomplete ${credentialsHeader} header`);
      return;
    }
    if ((p.algorithm ?? 'MD5').toUpperCase() !== algorithm.toUpperCase()) return challenge(res, false);
    if (!nonceAcceptable(p, res)) return;

    const verify = (result: PasswordResult): void => {
      const secret = typeof result === 'string' ? { password: result } : result?.ha1 ? { ha1: result.ha1 } : undefined;
      if (!secret || !verifyDigest(credentials, { method: req.method, body: req.body, ...secret })) {
        res.send(403);
        return;
      }
      req.authorization = { username: p.username, realm };
      next();
    };

    let settled = false;
    const callback = (err: Error | null, result?: PasswordResult): void => {
      if (settled) return;
      settled = true;
      if (err) next(err);
      else verify(result);
    };
    const returned = lookup(realm, p.username, callback);
    if (isPromise(returned)) returned.then((result) => callback(null, result), (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))));
  };
}

function isPromise(value: unknown): value is PromiseLike<PasswordResult> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
