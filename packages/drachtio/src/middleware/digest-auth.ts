import {
  createChallenge,
  isSupportedAlgorithm,
  serializeChallenge,
  verifyDigest,
  type AuthHeader,
} from 'drachtio-sip';
import { internalsOf } from '../internals';
import { DigestNonces, nonceKey, PROCESS_NONCE_KEY } from './digest-nonce';
import { NonceCounts, type NonceStore } from './nonce-counts';
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
  /** Nonce-counts remembered at once without a `store`; the oldest is forgotten beyond this (default 10000). */
  maxNonces?: number;
  /**
   * Signs the nonces, so that any instance of the app verifies them. Default: derived from the
   * secret the app connects to drachtio-server-ts with (the same for every instance of an app).
   */
  nonceSecret?: string;
  /**
   * Where nonce-counts are kept so that a replayed request is refused whichever instance gets it:
   * a drachtio-session Store (`new MemoryStore()`, `new RedisStore(...)`). Default: each instance's memory.
   */
  store?: NonceStore;
}

/** Who authenticated, available to later middleware as `req.authorization`. */
export interface AuthorizedUser {
  username: string;
  realm: string;
}

/**
 * Digest authentication middleware (RFC 2617 / RFC 7616 through drachtio-sip): challenges
 * requests without credentials, verifies the response against the password or HA1 that
 * `lookup` finds, refuses replayed nonce-counts, and marks expired nonces stale so clients
 * retry without asking their user. Unknown users and wrong passwords get 403. Nonces verify on
 * any instance of the app (see DigestNonces), so it scales out like the rest of the app.
 */
export function digestAuth(
  realm: string,
  lookup: PasswordLookup,
  options: DigestAuthOptions = {},
): Middleware {
  if (typeof realm !== 'string' || realm.length === 0)
    throw new TypeError('digestAuth(realm, fn): realm must be a non-empty string');
  if (typeof lookup !== 'function')
    throw new TypeError('digestAuth(realm, fn): fn(realm, user, callback) is required');
  const algorithm = options.algorithm ?? 'MD5';
  if (!isSupportedAlgorithm(algorithm))
    throw new TypeError(`digestAuth: unsupported algorithm ${algorithm}`);
  const ttlMs = (options.nonceTtl ?? 300) * 1000;
  const maxNonces = options.maxNonces ?? 10_000;
  const status = options.proxy ? 407 : 401;
  const challengeHeader = options.proxy ? 'Proxy-Authenticate' : 'WWW-Authenticate';
  const credentialsHeader = options.proxy ? 'proxy-authorization' : 'authorization';
  const counts = new NonceCounts(options.store, Math.ceil(ttlMs / 1000), maxNonces);
  let key: Buffer | undefined;
  // Known once the app is connected (the first request comes after that): its connect secret.
  const nonceKeyOf = (req: Request) => (): Buffer => {
    if (!key) {
      const secret = options.nonceSecret ?? connectSecret(req);
      key = secret ? nonceKey(secret) : PROCESS_NONCE_KEY;
    }
    return key;
  };
  const noncesFor = (req: Request) => new DigestNonces(nonceKeyOf(req), realm);

  function challenge(req: Request, res: Response, stale: boolean): void {
    const header = createChallenge({
      realm,
      algorithm,
      qop: 'auth',
      stale,
      nonce: noncesFor(req).issue(),
    });
    res.send(status, { headers: { [challengeHeader]: serializeChallenge(header) } });
  }

  /** The request's nonce-count, or 1 for a nonce used without qop (RFC 2069: good once). */
  function countOf(p: Record<string, string>): number {
    if (p.qop === undefined) return 1;
    return /^[0-9a-fA-F]{8}$/.test(p.nc ?? '') ? parseInt(p.nc, 16) : NaN;
  }

  return (req: Request, res: Response, next: NextFunction): void => {
    let credentials: AuthHeader | undefined;
    try {
      credentials = (req.get(credentialsHeader) as AuthHeader[] | undefined)?.find(
        (candidate) =>
          candidate.scheme.toLowerCase() === 'digest' && candidate.params.realm === realm,
      );
    } catch {
      res.send(400, `Malformed ${credentialsHeader} header`);
      return;
    }
    if (!credentials) return challenge(req, res, false);
    const p = credentials.params;
    if (!p.username || !p.nonce || !p.uri || !p.response) {
      res.send(400, `Incomplete ${credentialsHeader} header`);
      return;
    }
    if ((p.algorithm ?? 'MD5').toUpperCase() !== algorithm.toUpperCase())
      return challenge(req, res, false);
    const freshness = noncesFor(req).check(p.nonce, ttlMs);
    // Ours but old: stale, so the client retries at once without asking its user.
    if (freshness !== 'valid') return challenge(req, res, freshness === 'expired');
    const count = countOf(p);
    if (!(count > 0)) return challenge(req, res, false);

    const verify = (result: PasswordResult): void => {
      const secret =
        typeof result === 'string'
          ? { password: result }
          : result?.ha1
            ? { ha1: result.ha1 }
            : undefined;
      if (
        !secret ||
        !verifyDigest(credentials, { method: req.method, body: req.body, ...secret })
      ) {
        res.send(403);
        return;
      }
      counts.advance(p.nonce, count).then(
        (fresh) => {
          if (!fresh) return challenge(req, res, false);
          req.authorization = { username: p.username, realm };
          next();
        },
        (err: unknown) => next(err instanceof Error ? err : new Error(String(err))),
      );
    };

    let settled = false;
    const callback = (err: Error | null, result?: PasswordResult): void => {
      if (settled) return;
      settled = true;
      if (err) next(err);
      else verify(result);
    };
    const returned = lookup(realm, p.username, callback);
    if (isPromise(returned))
      returned.then(
        (result) => callback(null, result),
        (err: unknown) => callback(err instanceof Error ? err : new Error(String(err))),
      );
  };
}

function connectSecret(req: Request): string | undefined {
  try {
    return internalsOf(req.app).agent.secret;
  } catch {
    return undefined;
  }
}

function isPromise(value: unknown): value is PromiseLike<PasswordResult> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
