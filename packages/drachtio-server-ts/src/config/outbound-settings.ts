/**
 * The NAT and RFC 3263 settings (flags over the config file's `sip` section), checked so a
 * mistake is one clear line before anything listens: an external address that is not an
 * address, a local network that is not CIDR, NAT settings for a contact not listened on.
 */
import { BlockList, isIP } from 'node:net';
import { addNet, type ContactAddressing } from '../transport/advertised-address';
import { DEFAULT_CONTACTS } from '../transport/contact';
import { ConfigError } from './config-error';
import type { ServerOptions } from './server-options';

type OutboundSettings = Pick<
  NonNullable<ServerOptions['sip']>,
  'addressing' | 'dnsServers' | 'outboundProxy' | 'mtu'
>;

interface OutboundFlags {
  addressing?: Record<string, ContactAddressing>;
  dnsServer?: string[];
  outboundProxy?: string;
  mtu?: string;
}

export function outboundSettings(
  flags: OutboundFlags,
  file: OutboundSettings | undefined,
  contacts: readonly string[] | undefined,
): OutboundSettings {
  const fromFlags = flags.addressing && Object.keys(flags.addressing).length > 0;
  const addressing = fromFlags ? flags.addressing : file?.addressing;
  const settings: OutboundSettings = {};
  if (addressing) settings.addressing = checkAddressing(addressing, contacts ?? DEFAULT_CONTACTS);
  const dnsServers = flags.dnsServer ?? file?.dnsServers;
  if (dnsServers) settings.dnsServers = dnsServers.map(checkDnsServer);
  const proxy = flags.outboundProxy ?? file?.outboundProxy;
  if (proxy !== undefined) {
    if (!/^sip:/i.test(proxy))
      throw new ConfigError(`invalid outbound proxy '${proxy}': expected a sip: URI`);
    settings.outboundProxy = proxy;
  }
  const mtu = flags.mtu === undefined ? file?.mtu : Number(flags.mtu);
  if (mtu !== undefined) {
    if (!Number.isInteger(mtu) || mtu < 200 || mtu > 65535)
      throw new ConfigError(`invalid MTU '${flags.mtu ?? mtu}': expected bytes from 200 to 65535`);
    settings.mtu = mtu;
  }
  return settings;
}

/** 'address', 'address:port' or '[v6]:port', as Node's resolver takes them. */
function checkDnsServer(server: string): string {
  const match = /^(?:\[([^\]]+)\]|([^:]+)|([0-9a-fA-F:]+))(?::(\d{1,5}))?$/.exec(server);
  const address = match?.[1] ?? match?.[2] ?? match?.[3] ?? '';
  const port = Number(match?.[4] ?? 53);
  if (isIP(address) === 0 || port < 1 || port > 65535)
    throw new ConfigError(
      `invalid DNS server '${server}': expected an address, address:port or [IPv6]:port`,
    );
  return server;
}

function checkAddressing(
  addressing: Record<string, ContactAddressing>,
  contacts: readonly string[],
): Record<string, ContactAddressing> {
  for (const [contact, settings] of Object.entries(addressing)) {
    if (!contacts.includes(contact))
      throw new ConfigError(`NAT settings for '${contact}', which is not a listening contact`);
    if (settings.externalIp !== undefined && isIP(settings.externalIp) === 0)
      throw new ConfigError(
        `invalid external IP '${settings.externalIp}' for ${contact}: expected an IPv4 or IPv6 address`,
      );
    for (const net of settings.localNet ?? []) {
      try {
        addNet(new BlockList(), net);
      } catch (error) {
        throw new ConfigError(`${(error as Error).message} for ${contact}`);
      }
    }
  }
  return addressing;
}
