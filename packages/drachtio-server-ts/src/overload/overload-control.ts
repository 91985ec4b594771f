/**
 * Overload control at the request intake: past capacity the server refuses new work early and
 * cheaply instead of letting its UDP receive queues grow until peers retransmit and calls fail.
 *
 *   every SAMPLE_MS: kernel receive queue --QueueDelay--> delay --RefusalController--> fraction
 *   each new request: refused at that fraction with a stateless 503 + Retry-After
 *
 * Only new work is refused: INVITEs outside a dialog first, then other requests outside one.
 * In-dialog requests (To tag), CANCEL and ACK, and retransmissions of admitted transactions
 * (matched before this is asked) always pass, so a call once admitted is never failed here.
 * The 503 is sent without a transaction; a retransmission of a refused request finds its key
 * in RecentRefusals and gets the same answer, and the ACK to the 503 is dropped unparsed.
 */
import type { SipRequest } from 'drachtio-sip';
import type { Logger } from 'pino';
import { detached } from '../detached-string';
import { newTag } from '../transaction/identifiers';
import type { Essentials } from '../transaction/message-essentials';
import { withTag, writeResponse } from '../transaction/outgoing-message';
import { responseDestination, responseVias } from '../transport/response-route';
import type { InboundMessage, SipTransport } from '../transport/transport';
import { udpSocketStats } from '../transport/udp-socket-stats';
import type { OverloadSettings } from './overload-options';
import { QueueDelay } from './queue-delay';
import { RecentRefusals } from './recent-refusals';
import { RefusalController, type RequestKind } from './refusal-controller';

/** How often the receive queues are read (each read of /proc costs about 0.1 ms). */
const SAMPLE_MS = 25;
/** A refused key is remembered for 2 to 4 s, at most this many per 2 s. */
const REMEMBERED = { capacity: 20_000, span: 2_000 };
/** "ACK " as the first four bytes of a message. */
const ACK_START = 0x41434b20;
/** At most one log line about refusals this often. */
const LOG_INTERVAL_MS = 10_000;

export type RefusalReason = RequestKind | 'retransmission';
export const REFUSAL_REASONS: readonly RefusalReason[] = ['invite', 'other', 'retransmission'];

export class OverloadControl {
  /** Requests refused so far, by reason, read by the metrics on scrape. */
  readonly refused: Record<RefusalReason, number> = { invite: 0, other: 0, retransmission: 0 };
  private latestDelay = 0;
  private readonly queue = new QueueDelay();
  private readonly controller: RefusalController;
  private readonly recent = new RecentRefusals(REMEMBERED.capacity, REMEMBERED.span, Date.now());
  /**
   * One To tag for every 503: a stateless answer must give a retransmission the same one, and
   * the ACK to a 503 is recognized by it.
   */
  private readonly tag = `503${newTag()}`;
  private readonly tagParameter = Buffer.from(`;tag=${this.tag}`);
  private readonly retryAfter: string;
  private ports: ReadonlySet<number> = new Set();
  private timer: NodeJS.Timeout | undefined;
  private sampledAt = 0;
  private loggedAt = 0;
  private refusedSinceLog = 0;

  constructor(
    settings: OverloadSettings,
    private readonly transport: SipTransport,
    private readonly logger: Logger,
  ) {
    this.controller = new RefusalController(settings.targetDelay);
    this.retryAfter = `Retry-After: ${settings.retryAfter}`;
  }

  /** The latest estimate of the queueing delay, ms. */
  get delay(): number {
    return this.latestDelay;
  }

  /** The fraction of new INVITEs being refused, 0 to 1. */
  get fraction(): number {
    return this.controller.fraction;
  }

  /** Starts watching the receive queues of the UDP sockets bound to `ports`. */
  start(ports: ReadonlySet<number>): void {
    if (ports.size === 0) return;
    if (udpSocketStats(ports) === undefined) {
      this.logger.info('overload control off: no /proc/net/udp to read the UDP receive queues');
      return;
    }
    this.ports = ports;
    this.sampledAt = performance.now();
    this.timer = setInterval(() => this.sample(), SAMPLE_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /**
   * Every message the engine reads, before it is parsed: the UDP ones are what drains the
   * queues. True for the ACK to one of our 503s (its To tag is ours), which needs nothing more:
   * absorbed unparsed, it leaves a refused call costing little more than its INVITE.
   */
  absorbs(inbound: InboundMessage): boolean {
    const { data } = inbound;
    if (inbound.source.transport === 'udp') this.queue.read(data.length);
    return (
      data.length > 4 && data.readUInt32BE(0) === ACK_START && data.indexOf(this.tagParameter) > 0
    );
  }

  /**
   * Asked for each request that matched no transaction: true when it was refused (and
   * answered), so the intake drops it.
   */
  refuses(message: SipRequest, fields: Essentials, key: string, inbound: InboundMessage): boolean {
    const { method } = message;
    if (fields.toTag !== undefined || method === 'CANCEL' || method === 'ACK') return false;
    const now = inbound.receivedAt;
    let reason: RefusalReason;
    if (this.recent.has(key, now)) reason = 'retransmission';
    else {
      const kind: RequestKind = method === 'INVITE' ? 'invite' : 'other';
      if (!this.controller.refusesNext(kind)) return false;
      reason = kind;
      this.recent.add(detached(key), now);
    }
    this.answer503(fields, inbound);
    this.refused[reason]++;
    this.refusedSinceLog++;
    if (now - this.loggedAt >= LOG_INTERVAL_MS) this.log(now);
    return true;
  }

  private sample(): void {
    const now = performance.now();
    const elapsed = now - this.sampledAt;
    this.sampledAt = now;
    // Nothing read while the loop ran on time: nothing can be waiting, no need to ask the kernel.
    const idle = !this.queue.active && this.latestDelay === 0 && elapsed < 2 * SAMPLE_MS;
    const queued = idle ? 0 : (udpSocketStats(this.ports)?.queued ?? 0);
    this.latestDelay = this.queue.estimate(queued, elapsed);
    this.controller.update(this.latestDelay);
  }

  private answer503(fields: Essentials, inbound: InboundMessage): void {
    const wire = writeResponse({
      status: 503,
      reason: 'Service Unavailable',
      vias: responseVias(fields.viaLines, fields.topViaText, fields.topVia, inbound.source),
      from: fields.from,
      to: withTag(fields.to, this.tag),
      callId: fields.callId,
      cseq: `${fields.cseq.seq} ${fields.cseq.method}`,
      headers: [this.retryAfter],
    });
    this.transport.send(
      wire,
      responseDestination(fields.topVia, inbound.source),
      inbound.connection,
    );
  }

  private log(now: number): void {
    this.logger.warn(
      {
        refused: this.refusedSinceLog,
        fraction: Math.round(this.fraction * 100) / 100,
        queueDelayMs: Math.round(this.delay),
      },
      'overloaded: refusing new requests with 503',
    );
    this.loggedAt = now;
    this.refusedSinceLog = 0;
  }
}
