/**
 * Bounds on what a peer may send inside an otherwise valid envelope. Everything read from the
 * network is bounded; these are the numbers, in one place, and docs/protocol.md repeats them.
 */
export const LIMITS = {
  /** rid: chosen by the sender, echoed back. */
  ridLength: 128,
  /** Any identifier: transactionId, dialogId, appName. */
  idLength: 256,
  secretLength: 1024,
  /** Versions offered in authenticate. */
  versions: 16,
  /** Verbs registered in one route command. */
  verbs: 64,
  /** A SIP method name. */
  methodLength: 32,
  /** A Request-URI or proxy address. */
  uriLength: 2048,
  reasonLength: 256,
  /** Distinct header names in one headers object. */
  headers: 128,
  /** Values of one repeated header. */
  headerValues: 64,
  headerNameLength: 128,
  headerValueLength: 8192,
  /** Destinations of one proxy command. */
  proxyDestinations: 16,
  /** A proxy timeout, in ms (one hour). */
  proxyTimeout: 3_600_000,
} as const;
