/**
 * Every listening contact's sockets behind one send/receive surface. Picks the socket that
 * matches a destination's transport and address family, and reports the ports actually bound.
 */
import { networkInterfaces } from 'node:os';
import type { Transport } from 'drachtio-protocol';
import type { Logger } from 'pino';
import { AdvertisedAddress, type ContactAddressing } from './advertised-address';
import { formatContact, hostport, parseListenContact, type ListenSpec } from './contact';
import type { SipGuard } from './limits/sip-guard';
import { TcpTransport } from './tcp-transport';
import type { MessageTap } from './tap';
import type {
  Connection,
  Destination,
  InboundMessage,
  LocalAddress,
  SendFailure,
  SipTransport,
} from './transport';
import { UdpTransport } from './udp-transport';

interface ListenPoint {
  spec: ListenSpec;
  /** The address written into Via and Contact (a wildcard bind is replaced by a real address). */
  advertised: string;
  /** What peers see of this contact: `advertised`, or its external address behind NAT. */
  nat: AdvertisedAddress;
  udp?: UdpTransport;
  tcp?: TcpTransport;
  /** What the tap reports as the local end, per bound transport (built once, after binding). */
  local: { udp?: LocalAddress; tcp?: LocalAddress };
}

const BIND_ATTEMPTS = 20;

export class TransportLayer implements SipTransport {
  private readonly points: ListenPoint[];
  /** Sees every message in and out when set (SIP trace, HEP, metrics); undefined costs nothing. */
  tap: MessageTap | undefined;

  constructor(
    contacts: readonly string[],
    private readonly options: {
      tcpIdleTimeout: number;
      maxTcpConnections: number;
      logger: Logger;
      onMessage: (message: InboundMessage) => void;
      /** The abuse limits, checked before anything else sees a message or a connection. */
      guard?: SipGuard;
      /** Per contact (keyed as listed in `contacts`): external address, local networks. */
      addressing?: Readonly<Record<string, ContactAddressing>>;
    },
  ) {
    const addressing = options.addressing ?? {};
    for (const contact of Object.keys(addressing))
      if (!contacts.includes(contact))
        throw new Error(`NAT settings for "${contact}", which is not a listening contact`);
    this.points = contacts.map((contact) => {
      const spec = parseListenContact(contact);
      const advertised = advertisedAddress(spec);
      const nat = new AdvertisedAddress(advertised, addressing[contact]);
      return { spec, advertised, nat, local: {} };
    });
  }

  async start(): Promise<void> {
    for (const point of this.points) await this.bind(point);
  }

  async stop(): Promise<void> {
    await Promise.all(this.points.flatMap((point) => [point.udp?.close(), point.tcp?.close()]));
  }

  /** One contact per bound transport, with the real port. */
  get contacts(): string[] {
    return this.points.flatMap((point) =>
      point.spec.transports.map((transport) =>
        formatContact(point.advertised, this.portOf(point, transport), transport),
      ),
    );
  }

  supports(transport: Transport, ipv6: boolean): boolean {
    return this.pointFor(transport, ipv6) !== undefined;
  }

  /** The address and port to advertise (Via sent-by, Contact) for traffic to `destination`. */
  local(transport: Transport, ipv6: boolean): LocalAddress | undefined {
    const point = this.pointFor(transport, ipv6);
    return point && { host: point.advertised, port: this.portOf(point, transport), transport };
  }

  /** Our Via value for a request to `destination` (RFC 3581 rport asked for). */
  viaFor(destination: Destination, branch: string): string {
    const local = this.localFor(destination);
    return `SIP/2.0/${destination.transport.toUpperCase()} ${hostport(local.host, local.port)};rport;branch=${branch}`;
  }

  /** Our Contact header line for a dialog with `peer`. */
  contactFor(peer: Destination): string {
    const local = this.localFor(peer);
    const transport = peer.transport === 'udp' ? '' : `;transport=${peer.transport}`;
    return `Contact: <sip:${hostport(local.host, local.port)}${transport}>`;
  }

  /**
   * Where we are reached by `peer`: the external address behind NAT unless `peer` is on a
   * local network. Throws when no transport of its kind and family is bound.
   */
  localFor(peer: Destination): LocalAddress {
    const point = this.pointFor(peer.transport, isIPv6Address(peer.address));
    if (!point) throw new Error(`no ${peer.transport} transport for ${peer.address}`);
    const host = point.nat.hostFor(peer.address);
    return { host, port: this.portOf(point, peer.transport), transport: peer.transport };
  }

  /** Our Record-Route value for a request forwarded to `peer` (RFC 3261 16.6 step 4). */
  recordRouteFor(peer: Destination): string {
    const local = this.localFor(peer);
    const transport = peer.transport === 'udp' ? '' : `;transport=${peer.transport}`;
    return `<sip:${hostport(local.host, local.port)}${transport};lr>`;
  }

  send(
    data: Buffer,
    destination: Destination,
    connection?: Connection,
    onFailure?: SendFailure,
  ): void {
    const point = this.pointFor(destination.transport, isIPv6Address(destination.address));
    if (!point) {
      onFailure?.(new Error(`no ${destination.transport} transport for ${destination.address}`));
      return;
    }
    if (this.tap !== undefined) {
      const local = point.local[destination.transport];
      if (local) this.tap('out', data, destination, local);
    }
    if (destination.transport === 'udp')
      point.udp?.send(data, destination.address, destination.port, onFailure);
    else point.tcp?.send(data, destination.address, destination.port, connection, onFailure);
  }

  private pointFor(transport: Transport, ipv6: boolean): ListenPoint | undefined {
    return (
      this.points.find((point) => point.spec.ipv6 === ipv6 && point[transport] !== undefined) ??
      this.points.find(
        (point) => point.spec.ipv6 === ipv6 && point.spec.transports.includes(transport),
      )
    );
  }

  private portOf(point: ListenPoint, transport: Transport): number {
    return (transport === 'udp' ? point.udp?.port : point.tcp?.port) ?? point.spec.port;
  }

  /** UDP and TCP of one contact share a port, so an ephemeral port is retried until both bind. */
  private async bind(point: ListenPoint): Promise<void> {
    const { spec } = point;
    const { logger, tcpIdleTimeout, maxTcpConnections, guard } = this.options;
    const onMessage = (message: InboundMessage): void => {
      const reply = (data: Buffer) => this.send(data, message.source, message.connection);
      if (guard && !guard.admit(message, reply)) return;
      if (this.tap !== undefined) {
        const local = point.local[message.source.transport];
        if (local) this.tap('in', message.data, message.source, local);
      }
      this.options.onMessage(message);
    };
    for (let attempt = 0; ; attempt++) {
      const tcp = spec.transports.includes('tcp')
        ? new TcpTransport(
            spec.host,
            spec.ipv6,
            tcpIdleTimeout,
            maxTcpConnections,
            logger,
            onMessage,
            guard,
          )
        : undefined;
      const udp = spec.transports.includes('udp')
        ? new UdpTransport(spec.host, spec.ipv6, onMessage, (error) =>
            logger.error({ err: error }, 'UDP socket error'),
          )
        : undefined;
      try {
        let port = spec.port;
        if (tcp) {
          await tcp.listen(port);
          port = tcp.port;
        }
        if (udp) await udp.bind(port);
        Object.assign(point, { tcp, udp });
        for (const transport of spec.transports)
          point.local[transport] = {
            host: point.advertised,
            port: this.portOf(point, transport),
            transport,
          };
        return;
      } catch (error) {
        await tcp?.close();
        await udp?.close();
        const retry =
          spec.port === 0 &&
          (error as NodeJS.ErrnoException).code === 'EADDRINUSE' &&
          attempt < BIND_ATTEMPTS;
        if (!retry) throw error;
      }
    }
  }
}

function advertisedAddress(spec: ListenSpec): string {
  if (spec.host !== '0.0.0.0' && spec.host !== '::') return spec.host;
  const family = spec.ipv6 ? 'IPv6' : 'IPv4';
  for (const addresses of Object.values(networkInterfaces())) {
    const external = addresses?.find(
      (a) => a.family === family && !a.internal && !a.address.startsWith('fe80'),
    );
    if (external) return external.address;
  }
  return spec.ipv6 ? '::1' : '127.0.0.1';
}

/** Addresses reaching this layer are literal IPs: a colon can only mean IPv6 (cheaper than net.isIPv6 per message). */
export function isIPv6Address(address: string): boolean {
  return address.includes(':');
}
