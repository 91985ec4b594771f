import { EventEmitter } from 'node:events';
import type { SendRequestData } from 'drachtio-protocol';
import { parseMessage, type SipRequest } from 'drachtio-sip';
import type { Application } from '../application';
import { pipe } from '../b2bua/pipe';
import { ServerError } from '../errors';
import type { MessageOptions } from '../headers';
import { internalsOf } from '../internals';
import { authorizationFor, type Credentials } from './digest-client';
import type { IncomingResponse, StatusLine } from './incoming-response';
import { Outcome } from '../outcome';
import type { Response } from '../uas/response';

/** What `app.uac()`, `app.uac[verb]()` and `app.request()` accept. */
export interface RequestOptions extends MessageOptions {
  /** The SIP method (INVITE for `app.uac`, fixed by `app.uac[verb]`). */
  method?: string;
  /** Request-URI; required unless `dialogId` is given. */
  uri?: string;
  /** Send inside this dialog (BYE, INFO, re-INVITE, ...). */
  dialogId?: string;
  /** Answer 401/407 challenges with these credentials. */
  auth?: Credentials;
  /** Send to this address instead of resolving the Request-URI (an outbound proxy). */
  proxy?: string;
}

/** `cb(err, req, res)`: the request that was sent, and its final response. */
export type RequestCallback = (
  err: Error | null,
  req: ClientRequest,
  res?: IncomingResponse,
) => void;

export interface ClientRequestEvents {
  /**
   * The request is on the wire (again after an authentication round): `callId`, `transactionId`
   * and `raw` are known. It carries the message as sent, not the request itself: the request is
   * thenable, so resolving a promise with it would wait for the final response.
   */
  sent: [msg: SipRequest];
  provisional: [res: IncomingResponse];
  /** The final response (after any authentication round). */
  response: [res: IncomingResponse];
  /** B2BUA (`pipe`): the far end answered with a 2xx and it was relayed. */
  success: [res: IncomingResponse];
  /** B2BUA (`pipe`): the far end answered with a failure, relayed to the caller. */
  fail: [status: StatusLine];
  error: [err: Error];
}

/** At most this many challenges are answered per request (a second round only for stale nonces). */
const MAX_AUTH_ROUNDS = 2;

/**
 * A request the application sends (the UAC side). Await it for the final response, or pass a
 * callback, or listen to its events. It is sent as soon as the application is connected.
 */
export class ClientRequest
  extends EventEmitter<ClientRequestEvents>
  implements PromiseLike<IncomingResponse>
{
  readonly method: string;
  readonly uri?: string;
  readonly dialogId?: string;
  /** Known after 'sent'. */
  callId?: string;
  transactionId?: string;
  /** The request exactly as it went out (the latest one, after an authentication round). */
  raw?: string;
  /** The final response, once it arrived. */
  res?: IncomingResponse;
  private readonly outcome = new Outcome<IncomingResponse>();
  private authRounds = 0;

  constructor(
    readonly app: Application,
    private readonly options: RequestOptions,
    private readonly callback?: RequestCallback,
  ) {
    super();
    this.method = (options.method ?? 'INVITE').toUpperCase();
    if (options.uri !== undefined) this.uri = options.uri;
    if (options.dialogId !== undefined) this.dialogId = options.dialogId;
    if (this.uri === undefined && this.dialogId === undefined)
      throw new TypeError(`cannot send ${this.method}: a request-uri or a dialogId is required`);
    const { body, headers, proxy } = options;
    this.send({
      method: this.method,
      ...(this.uri !== undefined ? { uri: this.uri } : {}),
      ...(this.dialogId !== undefined ? { dialogId: this.dialogId } : {}),
      ...(headers ? { headers } : {}),
      ...(body !== undefined ? { body } : {}),
      ...(proxy !== undefined ? { proxy } : {}),
    });
  }

  /** The request that was sent, parsed. */
  get msg(): SipRequest | undefined {
    return this.raw === undefined ? undefined : (parseMessage(this.raw) as SipRequest);
  }

  get body(): string | undefined {
    return this.options.body;
  }

  /** true once the final response arrived (or sending failed). */
  get settled(): boolean {
    return this.outcome.settled;
  }

  /** CANCEL this INVITE; harmless once a final response arrived. */
  cancelRequest(callback?: (err: Error | null) => void): void {
    if (this.method !== 'INVITE')
      throw new Error(`cancelRequest(): only an INVITE can be canceled, not ${this.method}`);
    if (this.settled) return callback?.(null);
    if (this.transactionId === undefined) {
      this.once('sent', () => this.cancelRequest(callback));
      return;
    }
    const { agent, reportError } = internalsOf(this.app);
    agent.command('cancel', { transactionId: this.transactionId }).then(
      () => callback?.(null),
      (error: Error) => {
        // Losing the race against the final response is not a failure: it is on its way.
        const lostRace =
          this.settled || (error instanceof ServerError && error.code === 'invalid-state');
        if (lostRace) callback?.(null);
        else if (callback) callback(error);
        else reportError(error, `canceling ${this.method}`);
      },
    );
  }

  /** B2BUA: relay this INVITE's responses to `res`, CANCEL from its caller, BYE from either side. */
  pipe(res: Response): this {
    pipe(this, res);
    return this;
  }

  then<R1 = IncomingResponse, R2 = never>(
    onFulfilled?: ((value: IncomingResponse) => R1 | PromiseLike<R1>) | null,
    onRejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null,
  ): Promise<R1 | R2> {
    return this.outcome.then(onFulfilled, onRejected);
  }

  /** Called by the application for each response to this request (after 'response' middleware). */
  handleResponse(res: IncomingResponse): void {
    if (this.settled) return;
    if (res.status < 200) {
      this.emit('provisional', res);
      return;
    }
    if (this.answerChallenge(res)) return;
    this.res = res;
    this.outcome.resolve(res);
    this.emit('response', res);
    this.callback?.(null, this, res);
  }

  private send(data: SendRequestData): void {
    internalsOf(this.app)
      .clientTransactions.send(this, data)
      .then(
        (result) => {
          this.transactionId = result.transactionId;
          this.callId = result.callId;
          this.raw = result.raw;
          if (this.listenerCount('sent') > 0) this.emit('sent', this.msg as SipRequest);
        },
        (error: Error) => this.fail(error),
      );
  }

  /** Resends with credentials when challenged and credentials were given; true when it did. */
  private answerChallenge(res: IncomingResponse): boolean {
    const credentials = this.options.auth;
    if (
      !credentials ||
      (res.status !== 401 && res.status !== 407) ||
      this.authRounds >= MAX_AUTH_ROUNDS
    )
      return false;
    const authorization = authorizationFor(res, this, credentials);
    if (!authorization) return false;
    // A second round only makes sense when the server says our nonce went stale.
    if (this.authRounds > 0 && !authorization.stale) return false;
    this.authRounds += 1;
    // The server re-sends the challenged request as it sent it (same Call-ID, From, To, body;
    // CSeq + 1, RFC 3261 22.2): only the credentials are ours to add.
    this.send({
      method: this.method,
      retryOf: this.transactionId as string,
      headers: { [authorization.header]: authorization.value },
    });
    return true;
  }

  /** No final response will reach us (the connection went away): the request fails with `error`. */
  abandon(error: Error): void {
    this.fail(error);
  }

  private fail(error: Error): void {
    if (this.settled) return;
    this.outcome.reject(error);
    if (this.callback) this.callback(error, this);
    else if (this.listenerCount('error') > 0) this.emit('error', error);
    else if (!this.outcome.observed)
      internalsOf(this.app).reportError(error, `sending ${this.method}`);
  }
}
