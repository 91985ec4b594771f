/**
 * Calling and called party of a call, as a billing record or a screen would show them. The
 * calling party is the most trustworthy identity the INVITE carries: P-Asserted-Identity
 * (RFC 3325), then Remote-Party-ID (its pre-standard ancestor), then From. The called party
 * is the To of the INVITE.
 */
import { parseNameAddr, splitList } from 'drachtio-sip';

export type PartySource = 'p-asserted-identity' | 'remote-party-id' | 'from' | 'to';

export interface Party {
  /** The header the identity was taken from. */
  source: PartySource;
  uri: string;
  /** The user part (the number, for a tel: URI). */
  user?: string;
  host?: string;
  displayName?: string;
}

/** What parties are read from: a parsed INVITE (drachtio-sip's SipRequest). */
export interface HeaderSource {
  getHeader(name: string): string | undefined;
}

const CALLING_PARTY_SOURCES: readonly PartySource[] = [
  'p-asserted-identity',
  'remote-party-id',
  'from',
];

export function callingParty(invite: HeaderSource): Party {
  for (const source of CALLING_PARTY_SOURCES) {
    const party = partyFrom(invite, source);
    if (party) return party;
  }
  throw new TypeError('the INVITE has no usable From header');
}

export function calledParty(invite: HeaderSource): Party {
  const party = partyFrom(invite, 'to');
  if (!party) throw new TypeError('the INVITE has no usable To header');
  return party;
}

/** The first identity in header `source`; undefined when absent or unreadable (the next source is tried). */
function partyFrom(invite: HeaderSource, source: PartySource): Party | undefined {
  const value = invite.getHeader(source);
  const first = value === undefined ? undefined : splitList(value)[0];
  if (first === undefined) return undefined;
  try {
    const addr = parseNameAddr(first);
    return {
      source,
      uri: addr.uri,
      ...(addr.url.user !== undefined && { user: addr.url.user }),
      ...(addr.url.host && { host: addr.url.host }),
      ...(addr.name && { displayName: addr.name }),
    };
  } catch {
    return undefined;
  }
}
