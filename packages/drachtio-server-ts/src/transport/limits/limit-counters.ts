/**
 * What the SIP-side abuse limits count for metrics (drachtio_limits_hit_total, beside the
 * control plane's): plain numbers bumped where a limit refuses something, read on scrape.
 */
export const SIP_LIMITS = [
  'sip-rate-ban',
  'sip-banned-dropped',
  'sip-blocklist',
  'sip-scanner',
  'sip-message-size',
  'sip-header-count',
  'sip-tcp-connections-per-address',
  'sip-tcp-connections-total',
  'sip-transactions-per-source',
] as const;
export type SipLimit = (typeof SIP_LIMITS)[number];

export class SipLimitCounters {
  readonly limits: Record<SipLimit, number> = Object.fromEntries(
    SIP_LIMITS.map((limit) => [limit, 0]),
  ) as Record<SipLimit, number>;
}
