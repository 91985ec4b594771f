/**
 * The address a contact writes into Via, Contact and Record-Route. Behind 1:1 NAT the peer must
 * see the public address (the C++ drachtio-server's `--external-ip`, or a `--dns-name`), except
 * peers on the local networks (`--local-net`), which reach the private address directly.
 */
import { BlockList, isIP } from 'node:net';

/** Per-contact NAT settings, as the C++ drachtio-server attaches them to a `--contact`. */
export interface ContactAddressing {
  /** The public address of this contact (1:1 NAT). */
  externalIp?: string;
  /** Networks reached without NAT, CIDR ('10.0.0.0/8', 'fd00::/8') or single addresses. */
  localNet?: string[];
  /** A host name to advertise instead of an address (peers outside the local networks). */
  dnsName?: string;
}

export class AdvertisedAddress {
  private readonly local = new BlockList();
  private readonly external: string | undefined;

  constructor(
    /** The listening address (a wildcard already replaced by an interface's address). */
    readonly privateHost: string,
    addressing: ContactAddressing = {},
  ) {
    this.external = addressing.dnsName ?? addressing.externalIp;
    for (const net of addressing.localNet ?? []) addNet(this.local, net);
  }

  /** The host a message to `peer` (a literal address) advertises. */
  hostFor(peer: string): string {
    if (this.external === undefined) return this.privateHost;
    const version = isIP(peer);
    // A name (a WebSocket client's .invalid host) is on no local network.
    if (version === 0) return this.external;
    return this.local.check(peer, version === 6 ? 'ipv6' : 'ipv4')
      ? this.privateHost
      : this.external;
  }
}

/** Throws a clear error for a malformed network, so the config is refused before start-up. */
export function addNet(list: BlockList, net: string): void {
  const [address = '', prefixText] = net.split('/');
  const version = isIP(address);
  const max = version === 6 ? 128 : 32;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (version === 0 || !Number.isInteger(prefix) || prefix < 0 || prefix > max)
    throw new Error(`invalid local network "${net}" (expected e.g. 10.0.0.0/8 or fd00::/8)`);
  list.addSubnet(address, prefix, version === 6 ? 'ipv6' : 'ipv4');
}
