import { EventEmitter } from 'node:events';
import type { CancelNotice, DialogNotice, RequestNotice, ResponseNotice, SendRequestData, SendRequestResult } from 'drachtio-protocol';
import { parseMessage, type SipRequest, type SipResponse } from 'drachtio-sip';
import { Agent, type ConnectOptions, type ReconnectInfo } from './wire/agent';
import { DialogLinks } from './b2bua';
import { ClientRequest, type RequestCallback, type RequestOptions } from './uac/client-request';
import { defaultStatus } from './middleware/defaults';
import { NotConnectedError, ServerError } from './errors';
import { IncomingResponse } from './uac/incoming-response';
import { METHODS, type Verb } from './methods';
import {
  dispatch,
  type ErrorMiddleware,
  type Layer,
  type Middleware,
  type ResponseErrorMiddleware,
  type ResponseMiddleware,
} from './middleware/stack';
import { Request } from './uas/request';
import { Response } from './uas/response';
import { Router } from './middleware/router';
import { ServerInvites } from './uas/server-invites';

/** An early dialog, as the 'sipdialog:create-early' event reports it in `e.target`. */
export type EarlyDialog =
  | { role: 'uas'; dialogId: string; callId: string; req: Request; res: Response }
  | { role: 'uac'; dialogId: string; callId: string; req: ClientRequest; res: IncomingResponse };

export interface EarlyDialogEvent {
  type: 'sipdialog:create-early';
  target: EarlyDialog;
}

/** The events of an application. Augmentable: packages add theirs by declaration merging. */
export interface ApplicationEvents {
  /** Connected and authenticated (err null), or the first attempt / the authentication failed. */
  connect: [err: Error | null, hostport?: string];
  disconnect: [err?: Error];
  reconnecting: [info: ReconnectInfo];
  error: [err: Error];
  /** Every dialog notice from the server (early, confirmed, terminated with reason). */
  'dialog-state': [notice: DialogNotice];
  /** `pipe(res)` joined two call legs. */
  b2bua: [legs: { uas: Request; uac: ClientRequest }];
  'sipdialog:create-early': [event: EarlyDialogEvent];
}

/** Shared, per-application state for middleware. */
export interface ApplicationLocals {
  [key: string]: unknown;
  /**
   * Set (to the package name) by a middleware that emits its own richer dialog events, such as
   * drachtio-dialog; while it is set the core does not emit 'sipdialog:create-early'.
   */
  dialogEventsProvider?: string;
}

export type ConnectCallback = (err: Error | null, hostport?: string) => void;

/** `app.uac(uri, [opts], [cb])`: send an INVITE; `app.uac.<verb>(...)`: any other method. */
export type UacFunction = (uri: string, options?: RequestOptions | RequestCallback, callback?: RequestCallback) => ClientRequest;
export type Uac = UacFunction & { [V in Verb]: UacFunction };

type VerbMethods = { [V in Verb]: (...handlers: Middleware[]) => Application };

type NodeListener = Parameters<EventEmitter['on']>[1];

/** ACK, CANCEL and PRACK never start anything, so the server is not asked to route them. */
const NOT_ROUTED = new Set(['ACK', 'CANCEL', 'PRACK']);
/** Early dialogs remembered so 'sipdialog:create-early' fires once; bounded against leaks. */
const MAX_EARLY_DIALOGS = 10_000;

// Verb methods are installed on the prototype below; the typed event overloads refine EventEmitter's.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface Application extends VerbMethods {
  on<K extends keyof ApplicationEvents>(event: K, listener: (...args: ApplicationEvents[K]) => void): this;
  on(event: string | symbol, listener: NodeListener): this;
  once<K extends keyof ApplicationEvents>(event: K, listener: (...args: ApplicationEvents[K]) => void): this;
  once(event: string | symbol, listener: NodeListener): this;
  off<K extends keyof ApplicationEvents>(event: K, listener: (...args: ApplicationEvents[K]) => void): this;
  off(event: string | symbol, listener: NodeListener): this;
  emit<K extends keyof ApplicationEvents>(event: K, ...args: ApplicationEvents[K]): boolean;
  emit(event: string | symbol, ...args: unknown[]): boolean;
}

/**
 * A drachtio application: an EventEmitter with an express-style middleware stack, `app[verb]`
 * routes and `app.uac` for sending requests, driven over the wire by drachtio-server-ts.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class Application extends EventEmitter {
  /** The wire client; other packages may use it to send protocol commands directly. */
  readonly agent = new Agent();
  readonly locals: ApplicationLocals = {};
  /** B2BUA call legs that end together. */
  readonly dialogLinks = new DialogLinks();
  /** `app.uac(uri, [opts], [cb])` and `app.uac.<verb>(uri, [opts], [cb])`. */
  readonly uac: Uac;

  private readonly routes = new Router();
  private readonly stack: Layer<Request, Response>[] = [];
  private readonly responseStack: Layer<ClientRequest, IncomingResponse>[] = [];
  private routerMounted = false;
  private routeUpdatePending = false;
  private readonly invites = new ServerInvites();
  /** Requests we sent that still wait for a final response. */
  private readonly clientTransactions = new Map<string, ClientRequest>();
  private readonly earlyDialogs = new Set<string>();

  constructor() {
    super();
    this.uac = this.makeUac();
    this.agent.on('ready', (result) => this.emit('connect', null, result.hostport));
    this.agent.on('failed', (error) => this.onConnectFailed(error));
    this.agent.on('disconnect', (error) => {
      this.abandonClientTransactions();
      this.emit('disconnect', error);
    });
    this.agent.on('reconnecting', (info) => this.emit('reconnecting', info));
    this.agent.on('warning', (error) => this.reportError(error, 'wire'));
    this.agent.on('request', (notice, sip) => this.onRequest(notice, sip));
    this.agent.on('response', (notice, sip) => this.onResponse(notice, sip));
    this.agent.on('cancel', (notice, sip) => this.onCancel(notice, sip));
    this.agent.on('dialog', (notice) => this.onDialog(notice));
  }

  /** The `app[verb]` routes as a middleware, for `app.use(app.router)`; mounted at the end otherwise. */
  get router(): Middleware {
    return this.routes.middleware;
  }

  /** The address the server takes SIP on ("host:port"), once connected. */
  get hostport(): string | undefined {
    return this.agent.server?.hostport;
  }

  get connected(): boolean {
    return this.agent.ready;
  }

  // -------------------------------------------------------------------------
  // Connection
  // -------------------------------------------------------------------------

  connect(options: ConnectOptions, callback?: ConnectCallback): this {
    if (callback) {
      const onConnect: ConnectCallback = (err, hostport) => callback(err, hostport);
      this.once('connect', onConnect);
    }
    this.agent.connect(options);
    return this;
  }

  /** Closes the connection for good (no reconnection). */
  disconnect(callback?: () => void): this {
    this.agent.close();
    this.invites.clear();
    this.abandonClientTransactions();
    this.earlyDialogs.clear();
    this.dialogLinks.clear();
    if (callback) setImmediate(callback);
    return this;
  }

  // -------------------------------------------------------------------------
  // Middleware
  // -------------------------------------------------------------------------

  use(fn: Middleware): this;
  use(fn: ErrorMiddleware): this;
  use(event: 'response', fn: ResponseMiddleware): this;
  use(event: 'response', fn: ResponseErrorMiddleware): this;
  use(method: string, fn: Middleware): this;
  use(method: string, fn: ErrorMiddleware): this;
  use(
    methodOrFn: string | Middleware | ErrorMiddleware,
    fn?: Middleware | ErrorMiddleware | ResponseMiddleware | ResponseErrorMiddleware,
  ): this {
    if (typeof methodOrFn === 'function') {
      if (methodOrFn === this.routes.middleware) this.routerMounted = true;
      this.stack.push({ handle: methodOrFn });
      return this;
    }
    if (typeof methodOrFn !== 'string' || typeof fn !== 'function') {
      throw new TypeError("app.use() expects a middleware function, or a method name ('invite', 'response', ...) and a function");
    }
    if (methodOrFn.toLowerCase() === 'response') {
      this.responseStack.push({ handle: fn as ResponseMiddleware | ResponseErrorMiddleware });
      return this;
    }
    this.stack.push({ method: methodOrFn.toUpperCase(), handle: fn as Middleware | ErrorMiddleware });
    this.routesChanged();
    return this;
  }

  /** Runs a request through the middleware stack and the routes, then the defaults. */
  handle(req: Request, res: Response): void {
    const layers = this.routerMounted ? this.stack : [...this.stack, { handle: this.routes.middleware }];
    dispatch(layers, req, res, (err) => this.finalHandler(req, res, err));
  }

  // -------------------------------------------------------------------------
  // Sending requests
  // -------------------------------------------------------------------------

  /** Send any request: outside a dialog with `uri`, inside one with `dialogId`. */
  request(options: RequestOptions, callback?: RequestCallback): ClientRequest {
    return new ClientRequest(this, options, callback);
  }

  /** Used by ClientRequest: sends, and registers the transaction for its responses. */
  async sendRequest(req: ClientRequest, data: SendRequestData): Promise<SendRequestResult> {
    const result = await this.agent.command('request', data);
    this.clientTransactions.set(result.transactionId, req);
    return result;
  }

  /**
   * Errors that belong to no caller (a response nobody awaited failed, a handler threw and no
   * error middleware took it): the 'error' event when someone listens, stderr otherwise.
   */
  reportError(error: unknown, context: string): void {
    const err = error instanceof Error ? error : new Error(String(error));
    if (this.listenerCount('error') > 0) this.emit('error', err);
    else console.error(`drachtio: ${context}: ${err.stack ?? err.message}`);
  }

  // -------------------------------------------------------------------------
  // From the wire
  // -------------------------------------------------------------------------

  private onRequest(notice: RequestNotice, sip: string): void {
    let msg: SipRequest;
    try {
      msg = parseMessage(sip) as SipRequest;
    } catch (error) {
      // The server parsed it first, so this is a bug somewhere; answer rather than leave the caller hanging.
      this.reportError(error, 'parsing a request from the server');
      this.agent.command('respond', { transactionId: notice.transactionId, status: 400 }).catch(() => undefined);
      return;
    }
    const req = new Request(this, notice, msg, sip);
    const res = new Response(this, req);
    req.res = res;
    switch (req.method) {
      case 'INVITE':
        this.invites.track(req, res);
        break;
      case 'ACK':
        this.onAck(req);
        break;
      case 'PRACK':
        this.onPrack(req, res);
        break;
      case 'BYE':
        if (req.dialogId !== undefined) this.releaseLinkedLeg(req.dialogId);
        break;
    }
    this.handle(req, res);
  }

  private onResponse(notice: ResponseNotice, sip: string): void {
    const req = this.clientTransactions.get(notice.transactionId);
    if (!req) return;
    let msg: SipResponse;
    try {
      msg = parseMessage(sip) as SipResponse;
    } catch (error) {
      // The server parsed it first, so this is a bug somewhere; the request must not wait forever.
      this.clientTransactions.delete(notice.transactionId);
      req.abandon(error as Error);
      return;
    }
    const res = new IncomingResponse(this, req, notice, msg, sip);
    if (res.status >= 200) this.clientTransactions.delete(notice.transactionId);
    else if (res.dialogId !== undefined && res.has('rseq')) {
      this.emitEarlyDialog({ role: 'uac', dialogId: res.dialogId, callId: req.callId ?? '', req, res });
    }
    // 'response' middleware observes; the request gets its response whatever they do.
    dispatch(this.responseStack, req, res, (err) => {
      if (err !== undefined) this.reportError(err, `'response' middleware for ${res.status} to ${req.method}`);
    });
    req.handleResponse(res);
  }

  private onCancel(notice: CancelNotice, sip: string): void {
    const invite = this.invites.take(notice.transactionId);
    if (!invite) return;
    invite.active = false;
    let msg: SipRequest;
    try {
      msg = parseMessage(sip) as SipRequest;
    } catch (error) {
      this.reportError(error, 'parsing a CANCEL from the server');
      return;
    }
    const cancel = new Request(this, { transactionId: notice.transactionId, source: notice.source, receivedAt: Date.now() }, msg, sip);
    const res = new Response(this, cancel);
    cancel.res = res;
    invite.emit('cancel', cancel, res);
    this.handle(cancel, res);
  }

  private onDialog(notice: DialogNotice): void {
    if (notice.event !== 'early') this.earlyDialogs.delete(notice.dialogId);
    if (notice.event === 'terminated') this.releaseLinkedLeg(notice.dialogId);
    this.emit('dialog-state', notice);
  }

  private onConnectFailed(error: Error): void {
    if (this.listenerCount('connect') > 0) this.emit('connect', error);
    else this.reportError(error, 'connecting to drachtio-server-ts');
  }

  // -------------------------------------------------------------------------
  // ACK and PRACK for INVITEs this application answers
  // -------------------------------------------------------------------------

  private onAck(ack: Request): void {
    this.invites.take(ack.inviteTransactionId)?.emit('ack', ack);
  }

  private onPrack(prack: Request, res: Response): void {
    const invite = this.invites.find(prack.inviteTransactionId);
    if (!invite) return;
    const dialogId = prack.dialogId ?? invite.res.dialogId;
    if (dialogId !== undefined) this.emitEarlyDialog({ role: 'uas', dialogId, callId: invite.callId, req: invite, res: invite.res });
    // The PRACK is answered first, so whatever the handler sends next (the INVITE's 200) follows
    // it on the wire. The server may have answered it already (invalid-state): answered either way.
    res.send(200, (err) => {
      if (err && !isAlreadyAnswered(err)) this.reportError(err, 'answering PRACK');
      invite.emit('prack', prack, res);
    });
  }

  private emitEarlyDialog(target: EarlyDialog): void {
    if (this.locals.dialogEventsProvider !== undefined || this.earlyDialogs.has(target.dialogId)) return;
    if (this.earlyDialogs.size >= MAX_EARLY_DIALOGS) this.earlyDialogs.clear();
    this.earlyDialogs.add(target.dialogId);
    this.emit('sipdialog:create-early', { type: 'sipdialog:create-early', target });
  }

  /** Responses for requests sent on a lost connection will not reach us: fail those requests. */
  private abandonClientTransactions(): void {
    const pending = [...this.clientTransactions.values()];
    this.clientTransactions.clear();
    const error = new NotConnectedError('the connection to drachtio-server-ts was lost before the final response arrived');
    for (const req of pending) req.abandon(error);
  }

  private releaseLinkedLeg(dialogId: string): void {
    const peer = this.dialogLinks.release(dialogId);
    if (peer !== undefined) this.request({ method: 'BYE', dialogId: peer }, () => undefined);
  }

  // -------------------------------------------------------------------------
  // Internals
  // -------------------------------------------------------------------------

  private finalHandler(req: Request, res: Response, err: unknown): void {
    const answerable = req.method !== 'ACK' && req.method !== 'CANCEL' && !res.headersSent;
    if (err !== undefined) {
      this.reportError(err, `handling ${req.method}`);
      if (answerable) res.send(500);
      return;
    }
    const status = defaultStatus(req);
    if (!answerable || status === undefined) return;
    res.send(status, (sendError) => {
      if (sendError && !isAlreadyAnswered(sendError)) this.reportError(sendError, `answering ${req.method} by default`);
    });
  }

  /** Tells the server which methods to route to us; batched so a burst of app[verb] calls sends one update. */
  routesChanged(): void {
    if (this.routeUpdatePending) return;
    this.routeUpdatePending = true;
    queueMicrotask(() => {
      this.routeUpdatePending = false;
      const fromStack = this.stack.map((layer) => layer.method).filter((method): method is string => method !== undefined);
      const verbs = [...new Set([...this.routes.methods(), ...fromStack])].filter((method) => !NOT_ROUTED.has(method));
      this.agent.setRoutes(verbs);
    });
  }

  /** Registers handlers for one method (the body of every `app[verb]`). */
  addRoute(method: string, handlers: Middleware[]): this {
    this.routes.route(method.toUpperCase(), handlers);
    this.routesChanged();
    return this;
  }

  private makeUac(): Uac {
    const sender =
      (method: string): UacFunction =>
      (uri, options, callback) => {
        const opts = typeof options === 'function' || options === undefined ? {} : options;
        const cb = typeof options === 'function' ? options : callback;
        return new ClientRequest(this, { ...opts, method, uri }, cb);
      };
    const uac = sender('INVITE') as Uac;
    for (const verb of METHODS) uac[verb] = sender(verb.toUpperCase());
    return uac;
  }
}

/** The server answered the request itself (it does for PRACK, for instance). */
function isAlreadyAnswered(err: Error): boolean {
  return err instanceof ServerError && err.code === 'invalid-state';
}

for (const verb of METHODS) {
  Application.prototype[verb] = function (this: Application, ...handlers: Middleware[]): Application {
    return this.addRoute(verb, handlers);
  };
}
