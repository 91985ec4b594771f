import { createHash, timingSafeEqual } from 'node:crypto';

/**
 * Compares the shared secret in constant time. Both sides are hashed first so the buffers have
 * equal length (timingSafeEqual demands it) and the length of the real secret does not leak.
 */
export function secretMatches(expected: string, given: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(expected), digest(given));
}
