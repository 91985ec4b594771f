/**
 * RFC 3263 section 4: where a request for a SIP URI goes, as an ordered list of targets to try.
 * A numeric host or an explicit port skips NAPTR and SRV (4.2); an explicit transport skips
 * NAPTR (4.1); otherwise NAPTR picks the transports, SRV the servers (RFC 2782 order), and
 * A/AAAA their addresses. Answers are cached for their TTL in a bounded cache.
 */
import { lookup, Resolver } from 'node:dns/promises';
import type { Transport } from 'drachtio-protocol';
import type { Destination } from '../transport';
import { orderSrv, type SrvTarget } from './srv-order';
import { defaultPort } from '../transport-kinds';
import { secureOf, targetUri } from './target-uri';
import { TtlCache } from './ttl-cache';

export interface ResolverOptions {
  /** DNS servers, 'address' or 'address:port' ('[v6]:port'); the system's when absent. */
  servers?: readonly string[];
  /** Cached answers at most (default 1000). */
  cacheSize?: number;
  /** ms per DNS query attempt (default 2000). */
  timeout?: number;
}

/** Which transports (and address families) this engine can send on. */
export type TransportFilter = (transport: Transport, ipv6: boolean) => boolean;

/** RFC 3263 4.1: the NAPTR services of the transports this engine has. */
const NAPTR_SERVICES: Readonly<Record<string, Transport>> = {
  'SIP+D2U': 'udp',
  'SIP+D2T': 'tcp',
  'SIPS+D2T': 'tls',
};
/** RFC 3263 4.1: the SRV service names; WebSocket has none (RFC 7118), its hosts are looked up. */
const SRV_PREFIX: Partial<Record<Transport, string>> = {
  udp: '_sip._udp',
  tcp: '_sip._tcp',
  tls: '_sips._tcp',
};
/** Node's resolver gives no TTL for NAPTR and SRV answers, so they are kept this long. */
const RECORD_TTL = 30;
/** Nothing found (NXDOMAIN, NODATA) is remembered briefly, so a bad name does not flood DNS. */
const NEGATIVE_TTL = 5;
/** No request is tried at more places than this (failover, RFC 3263 4.3). */
const MAX_TARGETS = 16;
const NOT_FOUND = new Set(['ENODATA', 'ENOTFOUND', 'NOTFOUND', 'ENONAME']);

export class SipResolver {
  private readonly dns: Resolver;
  private readonly custom: boolean;
  private readonly cache: TtlCache<readonly unknown[]>;

  constructor(
    options: ResolverOptions,
    private readonly supports: TransportFilter,
  ) {
    this.dns = new Resolver({ timeout: options.timeout ?? 2000, tries: 2 });
    this.custom = (options.servers?.length ?? 0) > 0;
    if (options.servers && this.custom) this.dns.setServers([...options.servers]);
    this.cache = new TtlCache(options.cacheSize ?? 1000);
  }

  /**
   * Every target for `uri`, best first. `fallback` is the transport to use when the URI names
   * none and no lookup decides (a dialog's own transport). Throws when nothing resolves.
   */
  async resolve(uri: string, fallback?: Transport): Promise<Destination[]> {
    const target = targetUri(uri);
    const { host, port, secure } = target;
    const transport = target.transport ?? (secure ? secureOf(fallback ?? 'tls') : fallback);
    if (target.literal) {
      const chosen = transport ?? 'udp';
      return [{ address: host, port: port ?? defaultPort(chosen), transport: chosen }];
    }
    let targets: Destination[];
    if (port !== undefined) {
      // RFC 3263 4.2: an explicit port means an A/AAAA lookup of the host itself.
      targets = await this.addresses(host, port, transport ?? 'udp');
    } else {
      targets = transport ? await this.srv(host, transport) : await this.naptrOrSrv(host);
      // RFC 3263 4.2: no SRV records: the host's addresses at the default port.
      if (targets.length === 0) {
        const chosen = transport ?? 'udp';
        targets = await this.addresses(host, defaultPort(chosen), chosen);
      }
    }
    if (targets.length === 0) throw new Error(`no address found for ${host}`);
    return targets.slice(0, MAX_TARGETS);
  }

  /** The first target only: in-dialog requests go where the dialog says, with no failover. */
  async first(uri: string, fallback?: Transport): Promise<Destination> {
    const [best] = await this.resolve(uri, fallback);
    if (!best) throw new Error(`no address found for ${uri}`);
    return best;
  }

  /** RFC 3263 4.1: NAPTR for the transports, else an SRV query per transport we have. */
  private async naptrOrSrv(host: string): Promise<Destination[]> {
    const naptr = (await this.query('NAPTR', host, () => this.dns.resolveNaptr(host)))
      .filter((record) => record.flags.toLowerCase() === 's')
      .filter((record) => this.usable(NAPTR_SERVICES[record.service.toUpperCase()]))
      .sort((a, b) => a.order - b.order || a.preference - b.preference);
    const found: Destination[] = [];
    for (const record of naptr) {
      const transport = NAPTR_SERVICES[record.service.toUpperCase()] ?? 'udp';
      found.push(...(await this.srvRecords(record.replacement, transport)));
    }
    if (naptr.length > 0) return found;
    for (const transport of ['udp', 'tcp', 'tls'] as const) {
      if (this.usable(transport)) found.push(...(await this.srv(host, transport)));
    }
    return found;
  }

  /** The SRV targets of `host` for `transport` (none for a transport without an SRV name). */
  private async srv(host: string, transport: Transport): Promise<Destination[]> {
    const prefix = SRV_PREFIX[transport];
    return prefix ? this.srvRecords(`${prefix}.${host}`, transport) : [];
  }

  private async srvRecords(name: string, transport: Transport): Promise<Destination[]> {
    const records = await this.query('SRV', name, () => this.dns.resolveSrv(name));
    const found: Destination[] = [];
    for (const record of orderSrv(records as SrvTarget[]))
      found.push(...(await this.addresses(record.name, record.port, transport)));
    return found;
  }

  /** A (and AAAA when an IPv6 transport of the kind is bound) records of `host`. */
  private async addresses(
    host: string,
    port: number,
    transport: Transport,
  ): Promise<Destination[]> {
    const families = [false, true].filter((ipv6) => this.supports(transport, ipv6));
    const found: string[] = [];
    for (const ipv6 of families) {
      const type = ipv6 ? 'AAAA' : 'A';
      const records = await this.query(type, host, async () => {
        const answer = ipv6
          ? await this.dns.resolve6(host, { ttl: true })
          : await this.dns.resolve4(host, { ttl: true });
        return answer;
      });
      found.push(...records.map((record) => record.address));
    }
    // Names the system knows without DNS (/etc/hosts, e.g. localhost), when no servers are set.
    if (found.length === 0 && !this.custom) {
      const known = await lookup(host, { all: true }).catch(() => []);
      found.push(...known.filter((a) => families.includes(a.family === 6)).map((a) => a.address));
    }
    return found.map((address) => ({ address, port, transport }));
  }

  /** One DNS question through the cache; "no such record" is an empty answer, cached briefly. */
  private async query<T extends object>(
    type: string,
    name: string,
    ask: () => Promise<T[]>,
  ): Promise<T[]> {
    const key = `${type} ${name.toLowerCase()}`;
    const cached = this.cache.get(key);
    if (cached) return cached as T[];
    try {
      const answer = await ask();
      this.cache.set(key, answer, ttlOf(answer));
      return answer;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (NOT_FOUND.has(code)) this.cache.set(key, [], NEGATIVE_TTL);
      return [];
    }
  }

  private usable(transport: Transport | undefined): boolean {
    return (
      transport !== undefined && (this.supports(transport, false) || this.supports(transport, true))
    );
  }
}

/** A/AAAA answers carry their TTL (the smallest counts); other records get RECORD_TTL. */
function ttlOf(answer: readonly object[]): number {
  const ttls = answer.flatMap((record) =>
    'ttl' in record && typeof record.ttl === 'number' ? [record.ttl] : [],
  );
  return ttls.length > 0 ? Math.min(...ttls) : RECORD_TTL;
}
