import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Self-validating nonces: `<issued at, ms, 12 hex><random, 16 hex><HMAC, 32 hex>`. Any instance
 * holding the same key verifies a nonce another issued, with no state shared between them: two
 * copies of an app behind one server (requests alternate between them) authenticate each other's
 * challenges. The key is the application's `nonceSecret`, or else derived from the secret it
 * connects to drachtio-server-ts with, which every instance of one app shares.
 */
export class DigestNonces {
  constructor(
    private readonly key: () => Buffer,
    private readonly realm: string,
  ) {}

  issue(now = Date.now()): string {
    const body = now.toString(16).padStart(12, '0') + randomBytes(8).toString('hex');
    return body + this.mac(body);
  }

  /** 'valid', 'expired' (ours, older than `ttlMs`) or 'invalid' (not ours, or tampered with). */
  check(nonce: string, ttlMs: number, now = Date.now()): 'valid' | 'expired' | 'invalid' {
    if (!/^[0-9a-f]{60}$/.test(nonce)) return 'invalid';
    const body = nonce.slice(0, 28);
    const given = Buffer.from(nonce.slice(28), 'hex');
    if (!timingSafeEqual(given, Buffer.from(this.mac(body), 'hex'))) return 'invalid';
    const issuedAt = parseInt(body.slice(0, 12), 16);
    return now - issuedAt > ttlMs || issuedAt > now + 60_000 ? 'expired' : 'valid';
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key())
      .update(`${this.realm}:${body}`)
      .digest('hex')
      .slice(0, 32);
  }
}

/** The nonce key from a shared secret (hashed: the secret itself never signs anything). */
export function nonceKey(secret: string): Buffer {
  return createHmac('sha256', 'drachtio digest nonce').update(secret).digest();
}

/** For an app that has neither: a key of this process only (one instance, as before). */
export const PROCESS_NONCE_KEY = randomBytes(32);
