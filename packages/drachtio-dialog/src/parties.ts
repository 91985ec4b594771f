/**
 * Calling and called party of a call, as a billing record or a screen would show them. The
 * calling party is the most trustworthy identity the INVITE carries: P-Asserted-Identity
 * (RFC 3325), then Remote-Party-ID (its pre-standard ancestor), then From.
 */
export type PartySource = 'p-asserted-identity' | 'remote-party-id' | 'from' | 'to';

export interface Party {
  /** The header the identity was taken from. */
  source: PartySource;
  uri: string;
  user?: string;
  host?: string;
  displayName?: string;
}
