/**
 * The server's internal control API: the boundary between the SIP layers (transport,
 * transaction, dialog) and whatever drives them — the wire's control plane, tests, benchmarks.
 * It speaks in the protocol's data shapes but knows nothing about codecs or connections,
 * so a second codec can be added without touching the SIP side.
 */
import type {
  AckData,
  CancelData,
  DialogNotice,
  Endpoint,
  ProxyData,
  ProxyNotice,
  RespondData,
  RespondResult,
  SendRequestData,
  SendRequestResult,
} from 'drachtio-protocol';
import { ProtocolError } from 'drachtio-protocol';

/** A request from the network that needs an application's decision. */
export interface EngineRequest {
  transactionId: string;
  method: string;
  callId: string;
  /** Set when the request is inside a dialog the engine knows. */
  dialogId?: string;
  /** For ACK (to a 2xx) and PRACK: the INVITE server transaction they belong to. */
  inviteTransactionId?: string;
  /** The engine already sent the final response (a PRACK's 200, RFC 3262 3): nothing to answer. */
  answered?: true;
  raw: string;
  source: Endpoint;
  receivedAt: number;
}

/** A response to a request sent through `SipEngine.request`. */
export interface EngineResponse {
  transactionId: string;
  status: number;
  dialogId?: string;
  raw: string;
  source: Endpoint;
  receivedAt: number;
}

export interface EngineCancel {
  /** The INVITE server transaction that was canceled (200 and 487 already sent). */
  transactionId: string;
  raw: string;
  source: Endpoint;
}

export interface EngineEvents {
  request: (request: EngineRequest) => void;
  cancel: (cancel: EngineCancel) => void;
  dialog: (notice: DialogNotice) => void;
  /** A transaction is gone for good: state keyed by its id may be dropped. */
  'transaction-end': (transactionId: string) => void;
}

/**
 * Who sends what for one request the application sends. By default the engine ACKs a 2xx to an
 * INVITE that carried a body and PRACKs every reliable provisional; an application that does
 * these itself (drachtio-srf does, as the C++ server lets it) asks for them here.
 */
export interface RequestOptions {
  /** INVITE: the engine never ACKs a 2xx; the application's `ack` is the ACK on the wire. */
  appOwnsAck?: boolean;
  /**
   * INVITE: the engine never PRACKs a reliable provisional. PRACK (inside the early dialog):
   * the application's RAck is taken, checked and written by the engine.
   */
  appOwnsPrack?: boolean;
}

/** Raised by engine operations: a ProtocolError whose code is the one the wire reports. */
export class EngineError extends ProtocolError {
  override readonly name = 'EngineError';
}

export interface SipEngine {
  /** SIP contacts the engine listens on, e.g. "sip:127.0.0.1:5060;transport=udp". */
  readonly contacts: readonly string[];

  on<E extends keyof EngineEvents>(event: E, listener: EngineEvents[E]): this;
  off<E extends keyof EngineEvents>(event: E, listener: EngineEvents[E]): this;

  /** Answer a request delivered by the 'request' event. */
  respond(data: RespondData): Promise<RespondResult>;
  /** Send a request outside or inside a dialog; every response arrives through onResponse. */
  request(
    data: SendRequestData,
    onResponse: (response: EngineResponse) => void,
    options?: RequestOptions,
  ): Promise<SendRequestResult>;
  /** ACK a 2xx to an INVITE that was sent without a body (the application supplies the SDP). */
  ack(data: AckData): Promise<{ raw: string }>;
  /** CANCEL an INVITE client transaction. */
  cancel(data: CancelData): Promise<{ raw: string }>;
  /**
   * Proxy a request delivered by the 'request' event (RFC 3261 section 16): resolves once the
   * proxying has started; `onOutcome` hears once, when the final response has gone upstream.
   */
  proxy(data: ProxyData, onOutcome: (notice: ProxyNotice) => void): Promise<void>;

  start(): Promise<void>;
  /** Stop taking new requests, let transactions finish briefly, close sockets. */
  stop(): Promise<void>;
}
