/**
 * The wire contract between drachtio-server-ts and applications, versions 1 and 2 (2 adds the
 * `proxy` command and notification; everything of version 1 is unchanged in it).
 * docs/protocol.md is the normative description; these types mirror it.
 *
 * Every frame is `<byte length>#<payload>`. The payload is one JSON envelope, optionally
 * followed by a single LF and a raw SIP message (JSON.stringify never emits a raw LF, so the
 * first LF always ends the JSON). SIP therefore travels as-is, never escaped into JSON.
 */

export const PROTOCOL_VERSION = 2 as const;
/** Version 1 is version 2 without `proxy`: a connection that negotiated 1 is refused that command. */
export const SUPPORTED_VERSIONS: readonly number[] = [1, PROTOCOL_VERSION];
/** The first version with the `proxy` command and notification. */
export const PROXY_VERSION = 2 as const;

/** SIP transports: UDP, TCP, TLS (RFC 3261 26) and WebSocket / secure WebSocket (RFC 7118). */
export type Transport = 'udp' | 'tcp' | 'tls' | 'ws' | 'wss';

/** Header values as an application writes them: a header may repeat (array). */
export type HeaderMap = Record<string, string | number | readonly string[]>;

export interface Endpoint {
  address: string;
  port: number;
  transport: Transport;
}

// ---------------------------------------------------------------------------
// Commands sent by the application (request envelopes, app -> server)
// ---------------------------------------------------------------------------

export interface AuthenticateData {
  secret: string;
  /** Connections sharing an appName can take over each other's dialogs. */
  appName?: string;
  /** Protocol versions the client speaks; the server picks the highest it supports. */
  versions: number[];
}
export interface AuthenticateResult {
  version: number;
  /** host:port of the first SIP contact, as the seed's connect callback reports it. */
  hostport: string;
  /** Every SIP listening contact, e.g. "sip:127.0.0.1:5060;transport=udp". */
  contacts: string[];
  serverVersion: string;
}

export interface RouteData {
  /** Upper-case SIP methods this connection wants new requests for. */
  verbs: string[];
}

export interface RespondData {
  transactionId: string;
  status: number;
  reason?: string;
  headers?: HeaderMap;
  body?: string;
}
export interface RespondResult extends SentMessage {
  /** Set when the response created (or confirmed) a dialog. */
  dialogId?: string;
}

export interface SendRequestData {
  method: string;
  /** Request-URI; required outside a dialog, ignored inside one. */
  uri?: string;
  /** Send inside this dialog (BYE, re-INVITE, INFO, ...). */
  dialogId?: string;
  /**
   * Outside a dialog these may include From, To, Call-ID and CSeq ("<number> <METHOD>", the
   * request's own method, number below 2^31), e.g. for a registration refresh in the same
   * Call-ID (RFC 3261 10.2.4); the server refuses malformed ones with 'invalid-argument'.
   * Inside a dialog the server sets all four and drops the application's.
   */
  headers?: HeaderMap;
  body?: string;
  /** Send to this address instead of resolving the Request-URI (an outbound proxy). */
  proxy?: string;
  /**
   * Re-send the request of this client transaction, which was challenged (401/407), with the
   * credentials in `headers` (RFC 3261 22.2): the server keeps its Request-URI, Call-ID, From,
   * To, route, headers and body and raises its CSeq by one; only `method` (the same) and
   * `headers` may be given with it.
   */
  retryOf?: string;
}
export interface SendRequestResult extends SentMessage {
  transactionId: string;
  /** The request's Call-ID (the server's own, outside a dialog, unless the application gave one). */
  callId: string;
}

export interface AckData {
  /** The INVITE client transaction whose 2xx is being acknowledged. */
  transactionId: string;
  headers?: HeaderMap;
  body?: string;
}

export interface CancelData {
  transactionId: string;
  headers?: HeaderMap;
}

export type PingData = Record<string, never>;

export type ForkingMode = 'sequential' | 'simultaneous';

/** A proxy destination: a SIP URI, or a URI and the route (name-addrs, top first) to it. */
export type ProxyDestination = string | { uri: string; route?: string[] };

/** Version 2: proxy a received request (RFC 3261 section 16); the server owns it from then on. */
export interface ProxyData {
  /** The server transaction of the request to proxy (from its `request` notification). */
  transactionId: string;
  /**
   * Where to try, at most 16: a SIP URI (the branch's Request-URI), or one with a route set to
   * reach it by (a registered contact's Path, RFC 3327), sent as its Route headers.
   */
  destinations: ProxyDestination[];
  /** One branch after the other until one succeeds (default), or all at once. */
  forking?: ForkingMode;
  /** Insert Record-Route so that the dialog's later requests come through this server. */
  recordRoute?: boolean;
  /** A 3xx adds its Contacts as further destinations instead of ending the branch. */
  followRedirects?: boolean;
  /** ms without a provisional response after which a branch is given up (sequential: the next one is tried). */
  provisionalTimeout?: number;
  /** ms without a final response after which a branch is canceled. */
  finalTimeout?: number;
  /** Headers added to every forwarded request. */
  headers?: HeaderMap;
}

/**
 * The result of a command that put a SIP message on the wire: the message exactly as it went
 * out. `raw` is not a JSON field: it travels as the frame's raw SIP after the LF, and a reader
 * puts it here.
 */
export interface SentMessage {
  raw: string;
}

/** Command name -> [request data, result data]. */
export interface CommandMap {
  authenticate: [AuthenticateData, AuthenticateResult];
  route: [RouteData, Record<string, never>];
  respond: [RespondData, RespondResult];
  request: [SendRequestData, SendRequestResult];
  ack: [AckData, SentMessage];
  cancel: [CancelData, SentMessage];
  ping: [PingData, Record<string, never>];
  proxy: [ProxyData, Record<string, never>];
}
export type CommandName = keyof CommandMap;

// ---------------------------------------------------------------------------
// Notifications sent by the server (notify envelopes, server -> app)
// ---------------------------------------------------------------------------

/** A request from the network; the raw SIP follows the JSON. */
export interface RequestNotice {
  transactionId: string;
  /** Set for requests inside a dialog this application owns. */
  dialogId?: string;
  /** For ACK and PRACK: the INVITE server transaction they belong to. */
  inviteTransactionId?: string;
  /**
   * The server has already sent the final response (a PRACK gets its 200 from the server,
   * RFC 3262 3): the application is told of the request and does not `respond` to it.
   */
  answered?: true;
  source: Endpoint;
  receivedAt: number;
}

/**
 * A response to a request this application sent; the raw SIP follows the JSON. When the
 * network never answers (Timer B, F or C), the server generates a 408 locally and sends it here.
 */
export interface ResponseNotice {
  transactionId: string;
  /** Set when this response created or confirmed a dialog. */
  dialogId?: string;
  source: Endpoint;
  receivedAt: number;
}

/** A CANCEL for an INVITE this application is handling: 200 and 487 already went out. */
export interface CancelNotice {
  transactionId: string;
  source: Endpoint;
}

/** One branch of a proxied request: where it went and how it ended. */
export interface ProxyBranchOutcome {
  uri: string;
  /** Its final response; 408 when it timed out, 487 when canceled, 503 when unreachable. */
  status: number;
  reason: string;
  /** Whether the status came from the network (false: generated here). */
  received: boolean;
}

/** Version 2: a request proxied with `proxy` has its final response upstream. */
export interface ProxyNotice {
  transactionId: string;
  /** The final response sent upstream (the first 2xx, or the best of the branches'). */
  finalStatus: number;
  finalReason: string;
  /** Index in `branches` of the branch whose response was sent upstream; absent when none was. */
  winner?: number;
  branches: ProxyBranchOutcome[];
}

export type DialogEvent = 'early' | 'confirmed' | 'terminated';

/** Why a dialog ended, as the 'terminated' dialog notice names it (docs/protocol.md 7.4). */
export const TERMINATION_REASONS = [
  /** A BYE was received. */
  'normal far end release',
  /** The application sent a BYE. */
  'normal near end release',
  /** No ACK came for our 2xx: the server sent a BYE. */
  'ack timeout',
  /** The RFC 4028 session timer ran out: the server sent a BYE. */
  'session expired',
  /** An early dialog ended with a non-2xx final response (or a 2xx of another fork). */
  'call rejected',
  /** An early dialog ended by CANCEL. */
  'canceled',
  /** A NOTIFY said Subscription-State: terminated (RFC 6665). */
  'subscription terminated',
  /** The subscription ran out unrefreshed (RFC 6665). */
  'subscription expired',
] as const;
export type TerminationReason = (typeof TERMINATION_REASONS)[number];

interface DialogNoticeBase {
  dialogId: string;
  role: 'uac' | 'uas';
  callId: string;
}
export type DialogNotice = DialogNoticeBase &
  ({ event: 'early' | 'confirmed' } | { event: 'terminated'; reason: TerminationReason });

export interface NotifyMap {
  request: RequestNotice;
  response: ResponseNotice;
  cancel: CancelNotice;
  dialog: DialogNotice;
  proxy: ProxyNotice;
}
export type NotifyName = keyof NotifyMap;

// ---------------------------------------------------------------------------
// Envelopes
// ---------------------------------------------------------------------------

export type ErrorCode =
  | 'bad-frame'
  | 'bad-json'
  | 'unknown-command'
  | 'invalid-argument'
  | 'not-authenticated'
  | 'auth-failed'
  | 'unsupported-version'
  | 'unknown-transaction'
  | 'unknown-dialog'
  | 'invalid-state'
  | 'send-failed';

export interface WireError {
  code: ErrorCode;
  message: string;
}

export interface RequestEnvelope<C extends CommandName = CommandName> {
  type: 'request';
  /** Chosen by the sender, unique per connection and direction; echoed in the response. */
  rid: string;
  command: C;
  data: CommandMap[C][0];
}

/** A result as the reply's JSON carries it: a SentMessage's `raw` follows the JSON instead. */
export type WireResult<C extends CommandName = CommandName> = Omit<CommandMap[C][1], 'raw'>;

export type ResponseEnvelope<C extends CommandName = CommandName> =
  | { type: 'response'; rid: string; ok: true; data: WireResult<C> }
  | { type: 'response'; rid: string; ok: false; error: WireError };

export interface NotifyEnvelope<N extends NotifyName = NotifyName> {
  type: 'notify';
  command: N;
  data: NotifyMap[N];
}

export type Envelope = RequestEnvelope | ResponseEnvelope | NotifyEnvelope;

/** One decoded frame: the envelope and the raw SIP message that followed it, if any. */
export interface Frame {
  envelope: Envelope;
  sip?: string;
  /** The raw SIP exactly as its bytes arrived (a binary body survives here, not in `sip`). */
  sipBytes?: Uint8Array;
}

/** The admin port applications connect to unless told otherwise (the C++ drachtio-server's too). */
export const DEFAULT_ADMIN_PORT = 8022;
