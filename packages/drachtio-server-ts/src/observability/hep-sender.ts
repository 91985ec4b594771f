/**
 * Sends every SIP message to a Homer collector as HEP v3 over UDP. Best effort by design:
 * a collector that is slow or gone must never hold up SIP, so packets beyond a bounded send
 * queue are dropped and counted.
 */
import { createSocket, type Socket } from 'node:dgram';
import { lookup } from 'node:dns/promises';
import type { Logger } from 'pino';
import type { TapDirection, TapRemote } from '../transport/tap';
import type { LocalAddress } from '../transport/transport';
import { encodeHep3 } from './hep';

/** Datagrams waiting in Node's send queue before new ones are dropped. */
const MAX_QUEUED = 1024;

export interface HomerTarget {
  address: string;
  port: number;
  /** The capture agent id (C++ drachtio-server's --homer-id). */
  id: number;
}

export class HepSender {
  sent = 0;
  dropped = 0;

  private constructor(
    private readonly socket: Socket,
    private readonly address: string,
    private readonly port: number,
    private readonly captureId: number,
  ) {}

  /** Resolves the collector's name once: a DNS lookup per SIP message would cost more than SIP. */
  static async open(target: HomerTarget, logger: Logger): Promise<HepSender> {
    const { address, family } = await lookup(target.address);
    const socket = createSocket(family === 6 ? 'udp6' : 'udp4');
    socket.on('error', (err) => logger.warn({ err }, 'HEP socket error'));
    socket.unref();
    logger.info({ homer: `${address}:${target.port}`, id: target.id }, 'sending HEP v3 to Homer');
    return new HepSender(socket, address, target.port, target.id);
  }

  readonly capture = (
    direction: TapDirection,
    data: Buffer,
    remote: TapRemote,
    local: LocalAddress,
  ): void => {
    if (this.socket.getSendQueueCount() >= MAX_QUEUED) {
      this.dropped++;
      return;
    }
    const localEnd = { address: local.host, port: local.port };
    const packet = encodeHep3({
      ipv6: remote.address.includes(':'),
      // HEP's IP protocol: TLS and WebSocket ride on TCP.
      protocol: local.transport === 'udp' ? 'udp' : 'tcp',
      source: direction === 'in' ? remote : localEnd,
      destination: direction === 'in' ? localEnd : remote,
      time: performance.timeOrigin + performance.now(),
      captureId: this.captureId,
      payload: data,
    });
    if (!packet) {
      this.dropped++;
      return;
    }
    this.sent++;
    this.socket.send(packet, this.port, this.address, (err) => {
      if (err) this.dropped++;
    });
  };

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }
}
