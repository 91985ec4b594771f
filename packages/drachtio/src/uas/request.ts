import { EventEmitter } from 'node:events';
import type { RequestNotice, Transport } from 'drachtio-protocol';
import type { SipRequest } from 'drachtio-sip';
import type { Application } from '../application';
import type { AuthorizedUser } from '../middleware/digest-auth';
import type { ProxyCallback, ProxyResult } from '../proxy/proxied-requests';
import type { Destinations, ProxyOptions } from '../proxy/proxy-options';
import type { Response } from './response';

export interface RequestEvents {
  /** The INVITE was canceled by the caller (the server already sent 200 to the CANCEL and 487). */
  cancel: [cancel: Request, res: Response];
  /** A PRACK for one of our reliable provisional responses to this INVITE arrived. */
  prack: [prack: Request, res: Response];
  /** The ACK for our final response to this INVITE arrived. */
  ack: [ack: Request];
}

/**
 * A SIP request received from the network, as the middleware and `app[verb]` handlers see it.
 * Header values come from drachtio-sip: `req.get('from').tag`, `req.get('via')[0].branch`,
 * raw strings for headers without a structure.
 */
export class Request extends EventEmitter<RequestEvents> {
  readonly method: string;
  readonly uri: string;
  readonly version: string;
  readonly body: string;
  readonly callId: string;
  /** The server transaction this request belongs to; responses are sent on it. */
  readonly transactionId: string;
  /** Set for a request inside a dialog (BYE, INFO, re-INVITE, ...). */
  readonly dialogId?: string;
  /** For ACK and PRACK: the INVITE server transaction they belong to. */
  readonly inviteTransactionId?: string;
  /** Where the request came from. */
  readonly source_address: string;
  readonly source_port: number;
  /** The address the request was signaled from (same as source_address: the server is the SIP endpoint). */
  readonly signaling_address: string;
  readonly protocol: Transport;
  readonly receivedAt: number;
  /** false once the request was canceled by the caller. */
  active = true;
  /** Set by `drachtio.digestAuth` once the request's credentials were verified. */
  authorization?: AuthorizedUser;
  /** The response being built for this request (set before the middleware runs). */
  res!: Response;
  /** Typed header access from drachtio-sip. */
  readonly get: SipRequest['get'];

  constructor(
    readonly app: Application,
    notice: RequestNotice,
    /** The parsed message, for everything the shortcuts do not cover. */
    readonly msg: SipRequest,
    /** The request exactly as it arrived. */
    readonly raw: string,
  ) {
    super();
    this.method = msg.method;
    this.uri = msg.uri;
    this.version = msg.version;
    this.body = msg.body;
    this.callId = msg.getHeader('call-id') ?? '';
    this.transactionId = notice.transactionId;
    if (notice.dialogId !== undefined) this.dialogId = notice.dialogId;
    if (notice.inviteTransactionId !== undefined)
      this.inviteTransactionId = notice.inviteTransactionId;
    this.source_address = notice.source.address;
    this.source_port = notice.source.port;
    this.signaling_address = notice.source.address;
    this.protocol = notice.source.transport;
    this.receivedAt = notice.receivedAt;
    this.get = msg.get.bind(msg) as SipRequest['get'];
  }

  /** Every header by lower-case name; repeated headers are joined with ", ". */
  get headers(): Record<string, string> {
    return this.msg.headers;
  }

  /** The raw value of a header, undefined when absent. */
  getHeader(name: string): string | undefined {
    return this.msg.getHeader(name);
  }

  has(name: string): boolean {
    return this.msg.has(name);
  }

  /** Has the server proxy this request: `app.proxyRequest(req, ...)` (see there). */
  proxy(destinations: Destinations, callback?: ProxyCallback): PromiseLike<ProxyResult>;
  proxy(
    destinations: Destinations,
    options: ProxyOptions,
    callback?: ProxyCallback,
  ): PromiseLike<ProxyResult>;
  proxy(
    destinations: Destinations,
    optionsOrCallback?: ProxyOptions | ProxyCallback,
    callback?: ProxyCallback,
  ): PromiseLike<ProxyResult> {
    return typeof optionsOrCallback === 'function'
      ? this.app.proxyRequest(this, destinations, optionsOrCallback)
      : this.app.proxyRequest(this, destinations, optionsOrCallback ?? {}, callback);
  }

  /** Call `fn` when the caller cancels this INVITE. */
  cancel(fn: (cancel: Request, res: Response) => void): this {
    return this.once('cancel', fn);
  }

  /** Call `fn` when a PRACK for a reliable provisional response to this INVITE arrives. */
  prack(fn: (prack: Request, res: Response) => void): this {
    return this.on('prack', fn);
  }
}
