/**
 * Branches, tags, Call-IDs and transaction ids. A per-process random prefix plus a counter is
 * unique enough for RFC 3261 8.1.1.7 and costs no entropy per message (a hot path).
 */
import { randomBytes } from 'node:crypto';

export const MAGIC_COOKIE = 'z9hG4bK';

const PREFIX = randomBytes(6).toString('hex');
let counter = 0;

function next(): string {
  counter = (counter + 1) % Number.MAX_SAFE_INTEGER;
  return `${PREFIX}${counter.toString(36)}`;
}

export function newBranch(): string {
  return `${MAGIC_COOKIE}${next()}`;
}

export function newTag(): string {
  return next();
}

export function newCallId(host: string): string {
  return `${next()}@${host}`;
}

export function newTransactionId(): string {
  return next();
}
