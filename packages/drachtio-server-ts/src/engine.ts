/**
 * The SIP engine: transports below, the four transaction state machines, dialogs and the UA
 * core rules that need no application (100 Trying, CANCEL/487, ACK, PRACK, session timers).
 * The control plane drives it through SipEngine and hears from it through its events.
 *
 *   TransportLayer --bytes--> parseMessage --> UserAgentServer (requests)
 *                                          \-> UserAgentClient (responses)
 *   both hand messages to the usages (INVITE, 100rel, subscriptions, session timers), share
 *   the TransactionTable and DialogTable, and report through this EventEmitter.
 */
import { EventEmitter } from 'node:events';
import type {
  AckData,
  CancelData,
  ProxyData,
  ProxyNotice,
  RespondData,
  RespondResult,
  SendRequestData,
  SendRequestResult,
} from 'drachtio-protocol';
import { parseMessage, SipParseError, SipResponse, type SipRequest } from 'drachtio-sip';
import pino, { type Logger } from 'pino';
import { DialogTable } from './user-agent/dialog/dialog-table';
import { BoundWarning } from './user-agent/server/bound-warning';
import { sendResponse } from './user-agent/server/response-channel';
import { DEFAULT_MIN_SE } from './user-agent/session-timer/session-interval';
import type { UserAgentCore } from './user-agent/core';
import { UserAgent } from './user-agent/user-agent';
import {
  DEFAULT_LINGER_BYTES,
  TransactionTable,
  type TransactionStates,
} from './transaction/transaction-table';
import type { EngineEvents, EngineResponse, RequestOptions, SipEngine } from './engine-api';
import {
  DEFAULT_TIMER_SETTINGS,
  validateTimerSettings,
  type TimerSettings,
} from './transaction/timer-settings';
import { SipLimitCounters } from './transport/limits/limit-counters';
import { resolveProtection, type ProtectionInput } from './transport/limits/protection-options';
import { SipGuard } from './transport/limits/sip-guard';
import { TransactionQuota } from './transport/limits/transaction-quota';
import { rejectMalformed } from './transport/malformed';
import type { MessageTap } from './transport/tap';
import type { InboundMessage } from './transport/transport';
import type { TlsSettings } from './transport/tls-settings';
import { TransportLayer } from './transport/transport-layer';
import type { WebSocketSettings } from './transport/ws-transport';
import { DEFAULT_CONTACTS } from './transport/contact';
import type { ContactAddressing } from './transport/advertised-address';
import { DEFAULT_MTU } from './transport/dns/outbound';
import { SipResolver } from './transport/dns/sip-resolver';
import { udpPorts } from './transport/udp-socket-stats';
import { OverloadControl } from './overload/overload-control';
import { resolveOverload, type OverloadOptions } from './overload/overload-options';

export interface EngineOptions {
  /** Listening contacts, e.g. 'sip:127.0.0.1:0;transport=udp,tcp'. Default: sip:*:5060 (UDP and TCP). */
  contacts?: string[];
  /** RFC 3261 timers in ms (T1, T2, T4 and Timer C). */
  timers?: Partial<TimerSettings>;
  /** Timer C in ms (also accepted inside `timers`). Default 3 minutes. */
  timerC?: number;
  /** Close TCP connections idle this long (ms). Default 60 s. */
  tcpIdleTimeout?: number;
  /** Inbound TCP connections accepted at once. Default 10000. */
  maxTcpConnections?: number;
  /** Certificate, key, chain, CAs and minimum version for tls and wss contacts. */
  tls?: TlsSettings;
  /** WebSocket listeners: Origin allow-list, largest message. */
  websocket?: WebSocketSettings;
  /** Seconds between RFC 5626 CRLF keepalives on TCP and TLS connections (0 or absent: none). */
  tcpKeepaliveInterval?: number;
  /** A pino logger; silent by default. */
  logger?: Logger;
  /** RFC 4028: the smallest session interval accepted, in seconds (default 90). */
  sessionTimers?: { minSE?: number };
  /**
   * Server (and, separately, client) transactions in progress; beyond it new requests get 503.
   * Finished server transactions lingering for retransmissions are not counted (see
   * `lingerMemory`). Default 200000.
   */
  maxTransactions?: number;
  /**
   * Bytes (outside the V8 heap, exact) for finished server transactions lingering to absorb
   * retransmissions (Timers J, I and L; about 200 bytes for an answered INVITE, 400 for a BYE);
   * past it the oldest are forgotten early. Default 128 MiB.
   */
  lingerMemory?: number;
  /** Live dialogs; beyond it new INVITEs get 503. Default 100000. */
  maxDialogs?: number;
  /** How long stop() lets transactions finish (ms). Default 200. */
  drainTimeout?: number;
  /** Abuse limits (rates and bans, connections, sizes, scanners, Redis blocklist); see docs/operations.md. */
  protection?: ProtectionInput;
  /** Per listening contact (keyed as in `contacts`): external address, local networks, DNS name. */
  addressing?: Record<string, ContactAddressing>;
  /** DNS servers for RFC 3263 lookups ('127.0.0.1:5353', '[::1]:53'); the system's by default. */
  dnsServers?: string[];
  /** Every request outside a dialog goes here first (a SIP URI); an app's `proxy` wins. */
  outboundProxy?: string;
  /** A UDP request larger than this goes over TCP (RFC 3261 18.1.1). Default 1300. */
  mtu?: number;
  /** Refusing new requests with 503 when the UDP receive queues back up; on by default. */
  overload?: OverloadOptions;
}

export class Engine extends EventEmitter implements SipEngine {
  private readonly logger: Logger;
  private readonly drainTimeout: number;
  private readonly transport: TransportLayer;
  private readonly dialogs: DialogTable;
  private readonly transactions: UserAgentCore['transactions'];
  private readonly ua: UserAgent;
  private readonly guard: SipGuard;
  /** How often each SIP abuse limit refused something, read by the metrics on scrape. */
  readonly limitCounters = new SipLimitCounters();
  /** Overload control, undefined when turned off; the metrics read its counts. */
  readonly overload: OverloadControl | undefined;
  private running = false;
  private forgottenEarly = 0;

  constructor(options: EngineOptions = {}) {
    super();
    this.logger = options.logger ?? pino({ level: 'silent' });
    this.drainTimeout = options.drainTimeout ?? 200;
    const timers = validateTimerSettings({
      ...DEFAULT_TIMER_SETTINGS,
      ...definedOnly(options.timers ?? {}),
      ...definedOnly({ timerC: options.timerC }),
    });
    const protection = resolveProtection(options.protection);
    this.guard = new SipGuard(protection, this.logger, this.limitCounters);
    this.transport = new TransportLayer(options.contacts ?? [...DEFAULT_CONTACTS], {
      tcpIdleTimeout: options.tcpIdleTimeout ?? 60_000,
      maxTcpConnections: options.maxTcpConnections ?? 10_000,
      tls: options.tls,
      websocket: options.websocket,
      keepaliveInterval: (options.tcpKeepaliveInterval ?? 0) * 1000,
      logger: this.logger,
      onMessage: (message) => this.receive(message),
      guard: this.guard,
      addressing: options.addressing,
    });
    const resolver = new SipResolver({ servers: options.dnsServers }, (transport, ipv6) =>
      this.transport.supports(transport, ipv6),
    );
    this.dialogs = new DialogTable((notice) => this.emit('dialog', notice));
    const lingerBytes = options.lingerMemory ?? DEFAULT_LINGER_BYTES;
    const evictions = new BoundWarning(this.logger, 'lingerMemory', lingerBytes, {
      text: 'the oldest finished transactions are forgotten early',
      count: 'forgotten',
    });
    this.transactions = new TransactionTable({
      lingerBytes,
      onEvicted: () => {
        this.forgottenEarly++;
        evictions.hit();
      },
      resend: (response, destination, connection) =>
        sendResponse(
          { transport: this.transport, logger: this.logger },
          response,
          destination,
          connection,
        ),
    });
    const overload = resolveOverload(options.overload);
    this.overload = overload && new OverloadControl(overload, this.transport, this.logger);
    const core: UserAgentCore = {
      transport: this.transport,
      outbound: { resolver, proxy: options.outboundProxy, mtu: options.mtu ?? DEFAULT_MTU },
      timers,
      logger: this.logger,
      dialogs: this.dialogs,
      transactions: this.transactions,
      limits: {
        maxTransactions: options.maxTransactions ?? 200_000,
        maxDialogs: options.maxDialogs ?? 100_000,
        minSE: options.sessionTimers?.minSE ?? DEFAULT_MIN_SE,
      },
      quota: new TransactionQuota(
        protection.maxTransactionsPerSource,
        new Set(protection.exempt),
        this.limitCounters,
        this.logger,
      ),
      overload: this.overload,
      running: () => this.running,
      emit: (event, ...args) => this.emit(event, ...args),
    };
    this.ua = new UserAgent(core);
  }

  /** The bound contacts, one per transport, with the real ports once started. */
  get contacts(): readonly string[] {
    return this.transport.contacts;
  }

  /** Live state, for metrics and leak checks: everything returns to zero when traffic stops. */
  get stats(): { serverTransactions: number; clientTransactions: number; dialogs: number } {
    return {
      serverTransactions: this.transactions.serverCount,
      clientTransactions: this.transactions.clientCount,
      dialogs: this.dialogs.size,
    };
  }

  /** Bytes the lingering server transactions take outside the V8 heap, against `lingerMemory`. */
  get lingeringBytes(): number {
    return this.transactions.lingeringBytes;
  }

  /** Lingering server transactions forgotten early because `lingerMemory` was full. */
  get lingerEvictions(): number {
    return this.forgottenEarly;
  }

  /** Live transactions by side and state (a metrics scrape walks the table). */
  transactionStates(): TransactionStates {
    return this.transactions.states();
  }

  /**
   * Hands every SIP message in and out to `tap` (undefined: none). One tap at the transport
   * layer serves trace, HEP and metrics, and costs nothing when unset.
   */
  tapMessages(tap: MessageTap | undefined): void {
    this.transport.tap = tap;
  }

  override on<E extends keyof EngineEvents>(event: E, listener: EngineEvents[E]): this {
    return super.on(event, listener);
  }

  override off<E extends keyof EngineEvents>(event: E, listener: EngineEvents[E]): this {
    return super.off(event, listener);
  }

  async start(): Promise<void> {
    if (this.running) throw new Error('the SIP engine is already started');
    await this.transport.start();
    await this.guard.start();
    this.overload?.start(udpPorts(this.contacts));
    this.running = true;
    this.logger.info({ contacts: this.contacts }, 'SIP engine listening');
  }

  async stop(): Promise<void> {
    this.running = false;
    const deadline = Date.now() + this.drainTimeout;
    // Lingering transactions finish nothing: only those in progress are waited for.
    while (
      this.transactions.serversInProgress + this.transactions.clientsInProgress > 0 &&
      Date.now() < deadline
    ) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    this.overload?.stop();
    this.ua.stop();
    this.dialogs.clear();
    await this.transport.stop();
    await this.guard.stop();
  }

  respond(data: RespondData): Promise<RespondResult> {
    return this.ua.server.respond(data);
  }

  request(
    data: SendRequestData,
    onResponse: (response: EngineResponse) => void,
    options: RequestOptions = {},
  ): Promise<SendRequestResult> {
    return this.ua.client.request(data, onResponse, options);
  }

  ack(data: AckData): Promise<{ raw: string }> {
    return this.ua.client.ack(data);
  }

  cancel(data: CancelData): Promise<{ raw: string }> {
    return this.ua.client.cancel(data);
  }

  async proxy(data: ProxyData, onOutcome: (notice: ProxyNotice) => void): Promise<void> {
    this.ua.proxy.proxy(data, onOutcome);
  }

  /** Every message from the network: never throws, whatever the bytes. */
  private receive(inbound: InboundMessage): void {
    if (this.overload?.absorbs(inbound)) return;
    let message: SipRequest | SipResponse;
    try {
      message = parseMessage(inbound.data);
    } catch (error) {
      this.logger.info({ err: error, source: inbound.source }, 'unparseable SIP message');
      this.rejectMalformed(
        inbound,
        error instanceof SipParseError ? error.reason : 'unparseable message',
      );
      return;
    }
    try {
      if (message instanceof SipResponse) this.ua.client.receiveResponse(message, inbound);
      else this.ua.server.receiveRequest(message, inbound);
    } catch (error) {
      if (!(error instanceof SipParseError)) {
        // Not the message's fault (a listener threw, or a bug here): logged, and the engine carries on.
        this.logger.error(
          { err: error, source: inbound.source },
          'error while handling a SIP message',
        );
        return;
      }
      // A message that parsed but breaks a rule further in (a malformed Via, CSeq, ...).
      this.logger.info({ err: error, source: inbound.source }, 'SIP message rejected');
      if (!(message instanceof SipResponse) && message.method !== 'ACK')
        this.rejectMalformed(inbound, error.reason);
    }
  }

  private rejectMalformed(inbound: InboundMessage, reason: string): void {
    rejectMalformed(inbound, reason, (data) =>
      this.transport.send(data, inbound.source, inbound.connection),
    );
  }
}

/** Options left undefined (e.g. by a config layer) keep their defaults instead of erasing them. */
function definedOnly<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(values).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}
