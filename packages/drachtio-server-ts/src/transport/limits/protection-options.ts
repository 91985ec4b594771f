/**
 * The SIP-side abuse limits, as the engine takes them (config key `sip.protection`). Every
 * limit has a default, listed in docs/operations.md; the defaults let a busy trunk through and
 * stop what a single scanner or flood sends.
 */
import { MAX_HEADER_FIELDS } from 'drachtio-sip';
import type { BlocklistOptions } from './redis-blocklist';
import type { ScannerOptions } from './scanner-filter';
import type { RateOptions } from './source-rate';

export interface ProtectionOptions {
  /** Per-source message rate and ban (pike); `requestsPerSecond: 0` turns it off. */
  rate: RateOptions;
  /** Addresses no rate limit, ban or per-address cap applies to (your own proxies, trunks). */
  exempt: string[];
  /** Inbound SIP TCP connections from one address, and in all. */
  maxConnectionsPerAddress: number;
  maxConnections: number;
  /** Largest message, bytes, per transport; larger ones get 513 (or are dropped without a Via). */
  maxMessageSize: { udp: number; tcp: number };
  /** Header fields in one message; more get 513. */
  maxHeaders: number;
  /** Live server transactions opened by one source address; beyond it new requests get 503. */
  maxTransactionsPerSource: number;
  scanners: ScannerOptions;
  /** The Redis IP blocklist; off when absent. */
  blacklist?: BlocklistOptions;
}

/** The C++ drachtio-server's sample `spammers` section. */
export const DEFAULT_SCANNER_HEADERS: Record<string, readonly string[]> = {
  'User-Agent': ['sip-cli', 'sipcli', 'friendly-scanner', 'sipvicious'],
  To: ['sipvicious'],
};

export const DEFAULT_PROTECTION: ProtectionOptions = {
  rate: { requestsPerSecond: 2000, banSeconds: 60, maxSources: 100_000 },
  exempt: [],
  maxConnectionsPerAddress: 100,
  maxConnections: 10_000,
  maxMessageSize: { udp: 65_535, tcp: 327_680 },
  maxHeaders: MAX_HEADER_FIELDS,
  maxTransactionsPerSource: 5000,
  scanners: {
    action: 'reject',
    tcpAction: 'discard',
    status: 403,
    headers: DEFAULT_SCANNER_HEADERS,
  },
};

/** Deep enough for the config's partial sections: each nested object merges over its default. */
export type ProtectionInput = {
  [K in keyof ProtectionOptions]?: ProtectionOptions[K] extends readonly unknown[] | undefined
    ? ProtectionOptions[K]
    : Partial<ProtectionOptions[K]>;
};

export function resolveProtection(input: ProtectionInput = {}): ProtectionOptions {
  const d = DEFAULT_PROTECTION;
  return {
    rate: { ...d.rate, ...input.rate },
    exempt: input.exempt ?? d.exempt,
    maxConnectionsPerAddress: input.maxConnectionsPerAddress ?? d.maxConnectionsPerAddress,
    maxConnections: input.maxConnections ?? d.maxConnections,
    maxMessageSize: { ...d.maxMessageSize, ...input.maxMessageSize },
    maxHeaders: input.maxHeaders ?? d.maxHeaders,
    maxTransactionsPerSource: input.maxTransactionsPerSource ?? d.maxTransactionsPerSource,
    scanners: { ...d.scanners, ...input.scanners },
    blacklist: input.blacklist?.redisKey
      ? { refreshSecs: 60, ...input.blacklist, redisKey: input.blacklist.redisKey }
      : undefined,
  };
}
