import { EventEmitter } from 'node:events';
import type { DialogNotice } from 'drachtio-protocol';
import type {
  ApplicationEvents,
  ApplicationLocals,
  ApplicationOptions,
  ConnectCallback,
} from './application-events';
import { DialogLinks } from './b2bua/dialog-links';
import { EarlyDialogs } from './dialogs/early-dialogs';
import { Hooks, type ApplicationHooks, type HookName } from './hooks';
import { attachInternals, type ApplicationInternals } from './internals';
import { METHODS, type Verb } from './methods';
import { finalHandler } from './middleware/final-handler';
import { Router } from './middleware/router';
import {
  dispatch,
  type ErrorMiddleware,
  type Layer,
  type Middleware,
  type ResponseErrorMiddleware,
  type ResponseMiddleware,
} from './middleware/stack';
import { ClientRequest, type RequestCallback, type RequestOptions } from './uac/client-request';
import { ClientTransactions } from './uac/client-transactions';
import type { IncomingResponse } from './uac/incoming-response';
import { makeUac, type Uac } from './uac/uac';
import { IncomingRequests } from './uas/incoming-requests';
import type { Request } from './uas/request';
import type { Response } from './uas/response';
import { componentLogger, debugLogger, type Logger } from './logger';
import { ProxiedRequests, type ProxyCallback, type ProxyResult } from './proxy/proxied-requests';
import type { Destinations, ProxyOptions } from './proxy/proxy-options';
import { Agent } from './wire/agent';
import type { ConnectOptions } from './wire/connect-options';

type VerbMethods = { [V in Verb]: (...handlers: Middleware[]) => Application };

/** ACK, CANCEL and PRACK never start anything, so the server is not asked to route them. */
const NOT_ROUTED = new Set(['ACK', 'CANCEL', 'PRACK']);

// Verb methods are installed on the prototype below; the event methods take ApplicationEvents'
// names only (packages add theirs by declaration merging), so a misspelt event does not compile.
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export interface Application extends VerbMethods {
  on<K extends keyof ApplicationEvents>(
    event: K,
    listener: (...args: ApplicationEvents[K]) => void,
  ): this;
  once<K extends keyof ApplicationEvents>(
    event: K,
    listener: (...args: ApplicationEvents[K]) => void,
  ): this;
  off<K extends keyof ApplicationEvents>(
    event: K,
    listener: (...args: ApplicationEvents[K]) => void,
  ): this;
  emit<K extends keyof ApplicationEvents>(event: K, ...args: ApplicationEvents[K]): boolean;
}

/**
 * A drachtio application, in express's shape: settings (`locals`), a middleware stack, the
 * `app[verb]` router and a final handler; `app.uac` sends requests. Everything that speaks to
 * drachtio-server-ts (the wire agent, transaction correlation, dialog links, hooks) sits beside
 * it, composed here and kept off its public type.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-declaration-merging
export class Application extends EventEmitter {
  readonly locals: ApplicationLocals = {};
  /** `app.uac(uri, [opts], [cb])` and `app.uac.<verb>(uri, [opts], [cb])`. */
  readonly uac: Uac = makeUac((options, callback) => this.request(options, callback));

  private readonly routes = new Router();
  private readonly stack: Layer<Request, Response>[] = [];
  private readonly responseStack: Layer<ClientRequest, IncomingResponse>[] = [];
  private routerMounted = false;
  private routeUpdatePending = false;
  private readonly internals: ApplicationInternals;
  private readonly earlyDialogs: EarlyDialogs;
  private readonly incoming: IncomingRequests;
  private readonly logger: Logger;
  private readonly proxied: ProxiedRequests;

  constructor(options: ApplicationOptions = {}) {
    super();
    this.logger = options.logger ?? debugLogger();
    const agent = new Agent(componentLogger(this.logger, 'wire'));
    const reportError = (error: unknown, context: string): void => this.reportError(error, context);
    const hooks = new Hooks(reportError);
    const links = new DialogLinks((dialogId) =>
      this.request({ method: 'BYE', dialogId }, () => undefined),
    );
    this.earlyDialogs = new EarlyDialogs(hooks, (event) =>
      this.emit('sipdialog:create-early', event),
    );
    const clientTransactions = new ClientTransactions(
      this,
      agent,
      this.earlyDialogs,
      componentLogger(this.logger, 'uac'),
      (req, res) => this.handleResponse(req, res),
    );
    this.internals = { agent, clientTransactions, links, hooks, reportError };
    attachInternals(this, this.internals);
    this.incoming = new IncomingRequests(this, agent, this.earlyDialogs, links, {
      logger: componentLogger(this.logger, 'uas'),
      report: reportError,
    });
    this.proxied = new ProxiedRequests(agent, reportError);

    agent.on('ready', (result) => this.emit('connect', null, result.hostport));
    agent.on('failed', (error) => this.onConnectFailed(error));
    agent.on('disconnect', (error) => {
      clientTransactions.abandonAll();
      this.proxied.abandonAll();
      this.emit('disconnect', error);
    });
    agent.on('reconnecting', (info) => this.emit('reconnecting', info));
    agent.on('warning', (error) => reportError(error, 'wire'));
    agent.on('request', (notice, sip) => this.incoming.onRequest(notice, sip));
    agent.on('cancel', (notice, sip) => this.incoming.onCancel(notice, sip));
    agent.on('response', (notice, sip) => clientTransactions.onResponse(notice, sip));
    agent.on('dialog', (notice) => this.onDialog(notice));
    agent.on('proxy', (notice) => this.proxied.onNotice(notice));
  }

  /** The `app[verb]` routes as a middleware, for `app.use(app.router)`; mounted at the end otherwise. */
  get router(): Middleware {
    return this.routes.middleware;
  }

  /** The address the server takes SIP on ("host:port"), once connected. */
  get hostport(): string | undefined {
    return this.internals.agent.server?.hostport;
  }

  get connected(): boolean {
    return this.internals.agent.ready;
  }

  connect(options: ConnectOptions, callback?: ConnectCallback): this {
    if (callback) {
      const onConnect: ConnectCallback = (err, hostport) => callback(err, hostport);
      this.once('connect', onConnect);
    }
    this.internals.agent.connect(options);
    return this;
  }

  /** Closes the connection for good (no reconnection). */
  disconnect(callback?: () => void): this {
    this.internals.agent.close();
    this.incoming.clear();
    this.internals.clientTransactions.abandonAll();
    this.proxied.abandonAll();
    this.earlyDialogs.clear();
    this.internals.links.clear();
    if (callback) setImmediate(callback);
    return this;
  }

  /** Adds a hook (see ApplicationHooks): how drachtio-session, drachtio-dialog and drachtio-msml plug in. */
  addHook<K extends HookName>(name: K, fn: ApplicationHooks[K]): this {
    this.internals.hooks.add(name, fn);
    return this;
  }

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
      throw new TypeError(
        "app.use() expects a middleware function, or a method name ('invite', 'response', ...) and a function",
      );
    }
    if (methodOrFn.toLowerCase() === 'response') {
      this.responseStack.push({ handle: fn as ResponseMiddleware | ResponseErrorMiddleware });
      return this;
    }
    this.stack.push({
      method: methodOrFn.toUpperCase(),
      handle: fn as Middleware | ErrorMiddleware,
    });
    this.routesChanged();
    return this;
  }

  /** Runs a request through the middleware stack and the routes, then the final handler. */
  handle(req: Request, res: Response): void {
    const layers = this.routerMounted
      ? this.stack
      : [...this.stack, { handle: this.routes.middleware }];
    dispatch(layers, req, res, (err) => finalHandler(req, res, err, this.internals.reportError));
  }

  /** Send any request: outside a dialog with `uri`, inside one with `dialogId`. */
  request(options: RequestOptions, callback?: RequestCallback): ClientRequest {
    return new ClientRequest(this, options, callback);
  }

  /**
   * Has drachtio-server-ts proxy `req` (RFC 3261 section 16) to one or more destinations; the
   * server answers the caller, forks, CANCELs, ACKs and retransmits. Resolves (and calls back)
   * with the outcome once the final response has gone to the caller.
   */
  proxyRequest(
    req: Request,
    destinations: Destinations,
    callback?: ProxyCallback,
  ): PromiseLike<ProxyResult>;
  proxyRequest(
    req: Request,
    destinations: Destinations,
    options: ProxyOptions,
    callback?: ProxyCallback,
  ): PromiseLike<ProxyResult>;
  proxyRequest(
    req: Request,
    destinations: Destinations,
    optionsOrCallback?: ProxyOptions | ProxyCallback,
    maybeCallback?: ProxyCallback,
  ): PromiseLike<ProxyResult> {
    const options = typeof optionsOrCallback === 'object' ? optionsOrCallback : {};
    const callback = typeof optionsOrCallback === 'function' ? optionsOrCallback : maybeCallback;
    return this.proxied.proxy(req, destinations, options, callback);
  }

  /** 'response' middleware observes; the request gets its response whatever they do. */
  private handleResponse(req: ClientRequest, res: IncomingResponse): void {
    dispatch(this.responseStack, req, res, (err) => {
      if (err !== undefined)
        this.reportError(err, `'response' middleware for ${res.status} to ${req.method}`);
    });
    req.handleResponse(res);
  }

  private onDialog(notice: DialogNotice): void {
    if (notice.event !== 'early') this.earlyDialogs.ended(notice.dialogId);
    if (notice.event === 'terminated') this.internals.links.ended(notice.dialogId);
    this.internals.hooks.run('onDialog', notice);
  }

  private onConnectFailed(error: Error): void {
    if (this.listenerCount('connect') > 0) this.emit('connect', error);
    else this.reportError(error, 'connecting to drachtio-server-ts');
  }

  private reportError(error: unknown, context: string): void {
    const err = error instanceof Error ? error : new Error(String(error));
    if (this.listenerCount('error') > 0) this.emit('error', err);
    else this.logger.error({ err, context }, context);
  }

  /** Tells the server which methods to route to us; batched so a burst of app[verb] calls sends one update. */
  private routesChanged(): void {
    if (this.routeUpdatePending) return;
    this.routeUpdatePending = true;
    queueMicrotask(() => {
      this.routeUpdatePending = false;
      const fromStack = this.stack
        .map((layer) => layer.method)
        .filter((method): method is string => method !== undefined);
      const verbs = [...new Set([...this.routes.methods(), ...fromStack])].filter(
        (method) => !NOT_ROUTED.has(method),
      );
      this.internals.agent.setRoutes(verbs);
    });
  }

  /** The body of every `app[verb]`: registers handlers for one method. */
  private addRoute(method: string, handlers: Middleware[]): this {
    this.routes.route(method.toUpperCase(), handlers);
    this.routesChanged();
    return this;
  }

  static {
    for (const verb of METHODS) {
      Application.prototype[verb] = function (
        this: Application,
        ...handlers: Middleware[]
      ): Application {
        return this.addRoute(verb, handlers);
      };
    }
  }
}
