import { EventEmitter } from 'node:events';
import { parseMessage, type SipResponse } from 'drachtio-sip';
import type { Application } from '../application';
import type { MessageOptions } from '../headers';
import { internalsOf } from '../internals';
import { Outcome } from '../outcome';
import type { Request } from './request';

export type SendCallback = (err: Error | null, msg?: SipResponse) => void;

export interface ResponseEvents {
  /** The final response is on the wire; `dialogId` is already set when it created a dialog. */
  finish: [];
}

/** The answer to a received request (the UAS side), sent through drachtio-server-ts. */
export class Response extends EventEmitter<ResponseEvents> {
  /** Status of the last response sent (provisional or final). */
  statusCode?: number;
  reason?: string;
  /** true as soon as a final response was handed to the server; no other final may follow. */
  headersSent = false;
  /** true once the final response is on the wire ('finish'). */
  finished = false;
  /** Set when a response created (early) or confirmed a dialog. */
  dialogId?: string;
  /** The last response exactly as it went out on the wire. */
  raw?: string;

  /** The server sent the final response itself (200 to a PRACK) and only told the application. */
  readonly answeredByServer: boolean;

  constructor(
    readonly app: Application,
    readonly req: Request,
    answeredByServer = false,
  ) {
    super();
    this.answeredByServer = answeredByServer;
    if (answeredByServer) {
      this.statusCode = 200;
      this.headersSent = true;
      this.finished = true;
    }
  }

  /** The last response sent, parsed. */
  get msg(): SipResponse | undefined {
    return this.raw === undefined ? undefined : (parseMessage(this.raw) as SipResponse);
  }

  send(status: number, callback?: SendCallback): PromiseLike<SipResponse>;
  send(status: number, reason: string, callback?: SendCallback): PromiseLike<SipResponse>;
  send(status: number, options: MessageOptions, callback?: SendCallback): PromiseLike<SipResponse>;
  send(
    status: number,
    reason: string,
    options: MessageOptions,
    callback?: SendCallback,
  ): PromiseLike<SipResponse>;
  send(
    status: number,
    reasonOrOptions?: string | MessageOptions | SendCallback,
    optionsOrCallback?: MessageOptions | SendCallback,
    maybeCallback?: SendCallback,
  ): PromiseLike<SipResponse> {
    const args = [reasonOrOptions, optionsOrCallback, maybeCallback].filter(
      (arg) => arg !== undefined,
    );
    const callback =
      typeof args[args.length - 1] === 'function' ? (args.pop() as SendCallback) : undefined;
    const reason = typeof args[0] === 'string' ? (args.shift() as string) : undefined;
    const options = (args[0] ?? {}) as MessageOptions;
    this.checkCanSend(status);

    this.statusCode = status;
    if (reason !== undefined) this.reason = reason;
    const final = status >= 200;
    if (final) this.headersSent = true;

    const outcome = new Outcome<SipResponse>();
    const { agent, reportError } = internalsOf(this.app);
    agent
      .command('respond', {
        transactionId: this.req.transactionId,
        status,
        ...(reason !== undefined ? { reason } : {}),
        ...(options.headers ? { headers: options.headers } : {}),
        ...(options.body !== undefined ? { body: options.body } : {}),
      })
      .then(
        (result) => {
          this.raw = result.raw;
          if (result.dialogId !== undefined) this.dialogId = result.dialogId;
          if (final) {
            this.finished = true;
            this.emit('finish');
          }
          const sent = (): SipResponse => parseMessage(result.raw) as SipResponse;
          if (!callback) return outcome.resolveWith(sent);
          let msg: SipResponse;
          try {
            msg = sent();
          } catch (error) {
            return fail(error as Error);
          }
          callback(null, msg);
          outcome.resolve(msg);
        },
        (error: Error) => fail(error),
      );
    const fail = (error: Error): void => {
      callback?.(error);
      outcome.reject(error);
      if (!callback && !outcome.observed)
        reportError(error, `sending ${status} to ${this.req.method}`);
    };
    return outcome;
  }

  private checkCanSend(status: number): void {
    if (this.req.method === 'ACK') throw new Error('an ACK cannot be answered');
    if (this.req.method === 'CANCEL')
      throw new Error('a CANCEL cannot be answered: drachtio-server-ts already sent 200 OK to it');
    if (!Number.isInteger(status) || status < 100 || status > 699)
      throw new RangeError(`res.send(): ${status} is not a SIP status code (100-699)`);
    if (this.answeredByServer)
      throw new Error(
        `res.send(${status}): drachtio-server-ts already answered this ${this.req.method} 200 itself`,
      );
    if (this.headersSent)
      throw new Error(
        `res.send(${status}): a final response (${this.statusCode}) was already sent for this ${this.req.method}`,
      );
  }
}
