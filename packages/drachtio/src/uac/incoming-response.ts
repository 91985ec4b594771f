import type { ResponseNotice, Transport } from 'drachtio-protocol';
import type { SipResponse } from 'drachtio-sip';
import type { Application } from '../application';
import type { ClientRequest } from './client-request';
import type { MessageOptions } from '../headers';
import { internalsOf } from '../internals';
import { Outcome } from '../outcome';

/** The SIP status line, as a B2BUA's 'fail' event reports it. */
export interface StatusLine {
  status: number;
  phrase: string;
  version: string;
}

/** A response to a request the application sent (the UAC side). */
export class IncomingResponse {
  readonly status: number;
  readonly reason: string;
  readonly version: string;
  readonly body: string;
  /** Set when this response created (1xx) or confirmed (2xx) a dialog. */
  readonly dialogId?: string;
  readonly source_address: string;
  readonly source_port: number;
  readonly protocol: Transport;
  readonly receivedAt: number;
  /** Typed header access from drachtio-sip. */
  readonly get: SipResponse['get'];

  constructor(
    readonly app: Application,
    /** The request this response answers. */
    readonly req: ClientRequest,
    notice: ResponseNotice,
    readonly msg: SipResponse,
    readonly raw: string,
  ) {
    this.status = msg.status;
    this.reason = msg.reason;
    this.version = msg.version;
    this.body = msg.body;
    if (notice.dialogId !== undefined) this.dialogId = notice.dialogId;
    this.source_address = notice.source.address;
    this.source_port = notice.source.port;
    this.protocol = notice.source.transport;
    this.receivedAt = notice.receivedAt;
    this.get = msg.get.bind(msg) as SipResponse['get'];
  }

  /** Alias of `status`, as the seed README uses it. */
  get statusCode(): number {
    return this.status;
  }

  get headers(): Record<string, string> {
    return this.msg.headers;
  }

  get statusLine(): StatusLine {
    return { status: this.status, phrase: this.reason, version: this.version };
  }

  getHeader(name: string): string | undefined {
    return this.msg.getHeader(name);
  }

  has(name: string): boolean {
    return this.msg.has(name);
  }

  /**
   * ACK a 2xx to an INVITE that was sent without a body, carrying the answer (or offer) now.
   * When the INVITE had a body the server has already sent the ACK.
   */
  ack(options: MessageOptions = {}, callback?: (err: Error | null) => void): PromiseLike<void> {
    if (this.req.method !== 'INVITE' || this.status < 200 || this.status > 299) {
      throw new Error(
        `res.ack(): only a 2xx to an INVITE is acknowledged by the application (this is ${this.status} to ${this.req.method})`,
      );
    }
    const outcome = new Outcome<void>();
    const { agent, reportError } = internalsOf(this.app);
    agent
      .command('ack', {
        transactionId: this.req.transactionId as string,
        ...(options.headers ? { headers: options.headers } : {}),
        ...(options.body !== undefined ? { body: options.body } : {}),
      })
      .then(
        () => {
          callback?.(null);
          outcome.resolve();
        },
        (error: Error) => {
          callback?.(error);
          outcome.reject(error);
          if (!callback && !outcome.observed) reportError(error, 'sending ACK');
        },
      );
    return outcome;
  }
}
