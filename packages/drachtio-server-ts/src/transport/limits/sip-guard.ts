/**
 * The SIP abuse limits, checked in the transport layer before a byte reaches the parser
 * (docs/architecture.md): source blocklist, per-source rate with temporary bans, message size,
 * header count and the scanner filter for every message; connection caps for every inbound
 * TCP connection. Each refusal is counted and logged (rate-limited).
 */
import type { Logger } from 'pino';
import { answerStatelessly } from '../malformed';
import type { InboundMessage } from '../transport';
import { countHeaders, headerEnd, headerLines } from './header-section';
import { LimitLog } from './limit-log';
import { SipLimitCounters, type SipLimit } from './limit-counters';
import type { ProtectionOptions } from './protection-options';
import { RedisBlocklist } from './redis-blocklist';
import { ScannerFilter } from './scanner-filter';
import { SourceCounts } from './source-counts';
import { SourceRate } from './source-rate';

export type Reply = (data: Buffer) => void;

export class SipGuard {
  private readonly rate: SourceRate | undefined;
  private readonly exempt: ReadonlySet<string>;
  private readonly connections: SourceCounts;
  private readonly scanners: ScannerFilter;
  private readonly blocklist: RedisBlocklist | undefined;
  private readonly log: LimitLog;
  private readonly banListeners: Array<(address: string) => void> = [];

  constructor(
    private readonly options: ProtectionOptions,
    logger: Logger,
    readonly counters = new SipLimitCounters(),
  ) {
    this.rate = options.rate.requestsPerSecond > 0 ? new SourceRate(options.rate) : undefined;
    this.exempt = new Set(options.exempt);
    this.connections = new SourceCounts(options.maxConnectionsPerAddress, options.maxConnections);
    this.scanners = new ScannerFilter(options.scanners);
    this.blocklist = options.blacklist && new RedisBlocklist(options.blacklist, logger);
    this.log = new LimitLog(logger);
  }

  async start(): Promise<void> {
    await this.blocklist?.start();
  }

  async stop(): Promise<void> {
    await this.blocklist?.stop();
  }

  /** Told when an address gets banned, so stream transports close its connections. */
  onBan(listener: (address: string) => void): void {
    this.banListeners.push(listener);
  }

  /** Whether a new inbound TCP connection from `address` is taken; release() it on close. */
  acceptConnection(address: string): boolean {
    if (this.blocked(address, Date.now())) return false;
    const exempt = this.exempt.has(address);
    const refused = exempt ? undefined : this.connections.acquire(address);
    if (refused === undefined) return true;
    this.refuse(
      refused === 'total' ? 'sip-tcp-connections-total' : 'sip-tcp-connections-per-address',
      { address, open: this.connections.count(address), total: this.connections.size },
    );
    return false;
  }

  releaseConnection(address: string): void {
    this.connections.release(address);
  }

  /** Checked for every inbound message; false: drop it (after replying through `reply` when the limit answers). */
  admit(message: InboundMessage, reply: Reply): boolean {
    const { address, transport } = message.source;
    const now = message.receivedAt;
    if (!this.exempt.has(address)) {
      if (this.blocked(address, now)) return false;
      const verdict = this.rate?.hit(address, now) ?? 'ok';
      if (verdict === 'banned-now') {
        this.refuse('sip-rate-ban', { address, banSeconds: this.options.rate.banSeconds });
        for (const listener of this.banListeners) listener(address);
        return false;
      }
      if (verdict === 'banned') return false;
    }
    const { data } = message;
    const maxSize =
      transport === 'udp' ? this.options.maxMessageSize.udp : this.options.maxMessageSize.tcp;
    if (data.length > maxSize) {
      this.refuse('sip-message-size', { address, transport, size: data.length });
      answerStatelessly(message, 513, 'Message Too Large', reply);
      return false;
    }
    const end = headerEnd(data);
    if (countHeaders(data, end) > this.options.maxHeaders) {
      this.refuse('sip-header-count', { address });
      answerStatelessly(message, 513, 'Message Too Large - too many header fields', reply);
      return false;
    }
    if (this.scanners.enabled) {
      const found = this.scanners.match(headerLines(data, end));
      if (found) {
        this.refuse('sip-scanner', { address, ...found });
        const action =
          transport === 'udp' ? this.options.scanners.action : this.options.scanners.tcpAction;
        if (action === 'reject')
          answerStatelessly(message, this.options.scanners.status, 'Forbidden', reply);
        return false;
      }
    }
    return true;
  }

  /** Banned sources are dropped without a count per message: a ban exists to make them cheap. */
  private blocked(address: string, now: number): boolean {
    if (this.blocklist?.has(address)) {
      this.refuse('sip-blocklist', { address });
      return true;
    }
    if (this.rate?.isBanned(address, now)) {
      this.counters.limits['sip-banned-dropped']++;
      return true;
    }
    return false;
  }

  private refuse(limit: SipLimit, details: Record<string, unknown>): void {
    this.counters.limits[limit]++;
    this.log.hit(limit, details);
  }
}
