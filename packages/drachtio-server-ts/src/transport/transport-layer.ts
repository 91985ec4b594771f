/**
 * Every listening contact's sockets behind one send/receive surface. Picks the socket that
 * matches a destination's transport and address family, and reports the ports actually bound.
 */
import { networkInterfaces } from 'node:os';
import type { Transport } from 'drachtio-protocol';
import type { Logger } from 'pino';
import { AdvertisedAddress, type ContactAddressing } from './advertised-address';
import { formatContact, hostport, parseListenContact, type ListenSpec } from './contact';
import { FlowTable } from './flows';
import type { SipGuard } from './limits/sip-guard';
import { TcpTransport } from './tcp-transport';
import { Keepalive } from './keepalive';
import { tlsSockets, type StreamSockets } from './stream-sockets';
import { serverTlsOptions, type TlsSettings } from './tls-settings';
import { WsTransport, type WebSocketSettings } from './ws-transport';
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
  tls?: TcpTransport;
  ws?: WsTransport;
  wss?: WsTransport;
  /** What the tap reports as the local end, per bound transport (built once, after binding). */
  local: Partial<Record<Transport, LocalAddress>>;
}

const BIND_ATTEMPTS = 20;

export class TransportLayer implements SipTransport {
  private readonly points: ListenPoint[];
  /** Sees every message in and out when set (SIP trace, HEP, metrics); undefined costs nothing. */
  tap: MessageTap | undefined;
  /** Contacts of TLS and WebSocket clients, reached over their own connection (flows.ts). */
  private readonly flows: FlowTable;
  private keepalive: Keepalive | undefined;

  constructor(
    contacts: readonly string[],
    private readonly options: {
      tcpIdleTimeout: number;
      maxTcpConnections: number;
      /** Needed by tls and wss contacts. */
      tls?: TlsSettings;
      websocket?: WebSocketSettings;
      /** ms between RFC 5626 CRLF pings on TCP and TLS connections (and WebSocket pings); 0: none. */
      keepaliveInterval?: number;
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
      if (!options.tls && spec.transports.some((t) => t === 'tls' || t === 'wss'))
        throw new Error(`${contact} needs a TLS certificate and key (--cert-file, --key-file)`);
      const advertised = advertisedAddress(spec);
      const nat = new AdvertisedAddress(advertised, addressing[contact]);
      return { spec, advertised, nat, local: {} };
    });
    this.flows = new FlowTable(options.maxTcpConnections * 4);
  }

  async start(): Promise<void> {
    for (const point of this.points) await this.bind(point);
    const interval = this.options.keepaliveInterval ?? 0;
    if (interval > 0)
      this.keepalive = new Keepalive(interval, () =>
        this.points.flatMap((point) => [
          ...(point.tcp?.openConnections ?? []),
          ...(point.tls?.openConnections ?? []),
        ]),
      );
  }

  async stop(): Promise<void> {
    this.keepalive?.stop();
    await Promise.all(
      this.points.flatMap((point) => [
        point.udp?.close(),
        point.tcp?.close(),
        point.tls?.close(),
        point.ws?.close(),
        point.wss?.close(),
      ]),
    );
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

  reaches(destination: Destination): boolean {
    const peer = this.routeOf(destination);
    return this.supports(peer.transport, isIPv6Address(peer.address));
  }

  /** The address and port to advertise (Via sent-by, Contact) for traffic to `destination`. */
  local(transport: Transport, ipv6: boolean): LocalAddress | undefined {
    const point = this.pointFor(transport, ipv6);
    return point && { host: point.advertised, port: this.portOf(point, transport), transport };
  }

  /** Our Via value for a request to `destination` (RFC 3581 rport asked for). */
  viaFor(requested: Destination, branch: string): string {
    const destination = this.routeOf(requested);
    const local = this.localFor(destination);
    return `SIP/2.0/${destination.transport.toUpperCase()} ${hostport(local.host, local.port)};rport;branch=${branch}`;
  }

  /** Our Contact header line for a dialog with `peer`. */
  contactFor(requested: Destination): string {
    const peer = this.routeOf(requested);
    const local = this.localFor(peer);
    const transport = peer.transport === 'udp' ? '' : `;transport=${peer.transport}`;
    return `Contact: <sip:${hostport(local.host, local.port)}${transport}>`;
  }

  /**
   * Where we are reached by `peer` (over its flow's connection, if it has one): the external
   * address behind NAT unless `peer` is on a local network. Throws when no transport of its
   * kind and family is bound.
   */
  localFor(requested: Destination): LocalAddress {
    const peer = this.routeOf(requested);
    const point = this.pointFor(peer.transport, isIPv6Address(peer.address));
    if (!point) throw new Error(`no ${peer.transport} transport for ${peer.address}`);
    const host = point.nat.hostFor(peer.address);
    return { host, port: this.portOf(point, peer.transport), transport: peer.transport };
  }

  send(data: Buffer, requested: Destination, given?: Connection, onFailure?: SendFailure): void {
    const flow = given && !given.closed ? undefined : this.flows.lookup(requested);
    const connection = flow ?? given;
    const destination = flow ? flow.remote : requested;
    const point = this.pointFor(destination.transport, isIPv6Address(destination.address));
    if (!point) {
      onFailure?.(new Error(`no ${destination.transport} transport for ${destination.address}`));
      return;
    }
    if (this.tap !== undefined) {
      const local = point.local[destination.transport];
      if (local) this.tap('out', data, destination, local);
    }
    const { address, port } = destination;
    switch (destination.transport) {
      case 'udp':
        return point.udp?.send(data, address, port, onFailure);
      case 'tcp':
      case 'tls':
        return point[destination.transport]?.send(data, address, port, connection, onFailure);
      case 'ws':
      case 'wss':
        return point[destination.transport]?.send(data, destination, connection, onFailure);
    }
  }

  /** Where a request to `destination` really goes: over a learned flow's connection, if any. */
  private routeOf(destination: Destination): Destination {
    const flow = this.flows.lookup(destination);
    return flow ? { ...destination, ...flow.remote } : destination;
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
    return point[transport]?.port ?? point.spec.port;
  }

  /** UDP and TCP of one contact share a port, so an ephemeral port is retried until both bind. */
  private async bind(point: ListenPoint): Promise<void> {
    const { spec } = point;
    const { logger, guard } = this.options;
    const onMessage = (message: InboundMessage): void => {
      const reply = (data: Buffer) => this.send(data, message.source, message.connection);
      if (guard && !guard.admit(message, reply)) return;
      if (this.tap !== undefined) {
        const local = point.local[message.source.transport];
        if (local) this.tap('in', message.data, message.source, local);
      }
      const { transport } = message.source;
      if (message.connection && transport !== 'udp' && transport !== 'tcp')
        this.flows.learn(message.data, transport, message.connection);
      this.options.onMessage(message);
    };
    const [only] = spec.transports;
    if (only === 'tls' || only === 'ws' || only === 'wss')
      return this.bindOwnPort(point, only, onMessage);
    for (let attempt = 0; ; attempt++) {
      const tcp = spec.transports.includes('tcp') ? this.stream(spec, onMessage) : undefined;
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
        this.recordLocal(point);
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

  /** TLS, WS and WSS each have a port of their own (a contact names one of them alone). */
  private async bindOwnPort(
    point: ListenPoint,
    transport: 'tls' | 'ws' | 'wss',
    onMessage: (message: InboundMessage) => void,
  ): Promise<void> {
    const { spec } = point;
    const { logger, tcpIdleTimeout, maxTcpConnections, tls, websocket } = this.options;
    if (transport === 'tls') {
      const listener = this.stream(spec, onMessage, tlsSockets(certificate(tls), logger));
      await listener.listen(spec.port);
      point.tls = listener;
    } else {
      const listener = new WsTransport(spec.host, spec.ipv6, {
        ...websocket,
        tls: transport === 'wss' ? serverTlsOptions(certificate(tls)) : undefined,
        maxConnections: maxTcpConnections,
        // Browsers rarely send keepalives: WebSocket pings find the dead ones (idle timeout by default).
        pingInterval: this.options.keepaliveInterval || tcpIdleTimeout,
        logger,
        onMessage,
      });
      await listener.listen(spec.port);
      point[transport] = listener;
    }
    this.recordLocal(point);
  }

  /** A TCP listener, or a TLS one with TLS sockets. */
  private stream(
    spec: ListenSpec,
    onMessage: (message: InboundMessage) => void,
    sockets?: StreamSockets,
  ): TcpTransport {
    const { tcpIdleTimeout, maxTcpConnections, logger } = this.options;
    return new TcpTransport(
      spec.host,
      spec.ipv6,
      tcpIdleTimeout,
      maxTcpConnections,
      logger,
      onMessage,
      sockets,
      this.options.guard,
    );
  }

  /** What the tap reports as the local end, per transport, once the ports are bound. */
  private recordLocal(point: ListenPoint): void {
    for (const transport of point.spec.transports)
      point.local[transport] = {
        host: point.advertised,
        port: this.portOf(point, transport),
        transport,
      };
  }
}

/** The constructor refused tls and wss contacts without TLS settings; this says so to the compiler. */
function certificate(tls: TlsSettings | undefined): TlsSettings {
  if (!tls) throw new Error('TLS contact without a certificate');
  return tls;
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
