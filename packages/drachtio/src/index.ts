import * as application from './application';
import type * as applicationEvents from './application-events';
import type * as connectOptions from './wire/connect-options';
import type * as earlyDialogs from './dialogs/early-dialogs';
import type * as hooks from './hooks';
import type * as logger from './logger';
import * as internals from './internals';
import * as clientRequest from './uac/client-request';
import * as digest from './middleware/digest-auth';
import * as errors from './errors';
import type * as headers from './headers';
import * as incomingResponse from './uac/incoming-response';
import * as methods from './methods';
import type * as middleware from './middleware/stack';
import { loadCompanion } from './optional-packages';
import type * as proxiedRequests from './proxy/proxied-requests';
import type * as proxyOptions from './proxy/proxy-options';
import * as request from './uas/request';
import * as response from './uas/response';
import type * as uac from './uac/uac';

/** Creates a drachtio application: `const app = require('drachtio')()`. */
function drachtio(options?: applicationEvents.ApplicationOptions): application.Application {
  return new application.Application(options);
}

/** A companion middleware factory: `drachtio.session({store})`, `drachtio.dialog()`. */
type MiddlewareFactory = (options?: object) => middleware.Middleware;

/**
 * drachtio-session's `session()` middleware. drachtio-session is not a dependency of drachtio,
 * so it is loaded from the application's packages when called; throws naming it when missing.
 */
function sessionMiddleware(options?: object): middleware.Middleware {
  return loadCompanion<MiddlewareFactory>('drachtio-session')(options);
}

/** drachtio-dialog's `dialog()` middleware, loaded like `session()`. */
function dialogMiddleware(options?: object): middleware.Middleware {
  return loadCompanion<MiddlewareFactory>('drachtio-dialog')(options);
}

// The factory also carries its members as a namespace, so TypeScript that imports only the default
// can name them (`drachtio.Request`, `drachtio.digestAuth`) as the seed's JavaScript does.
// eslint-disable-next-line @typescript-eslint/no-namespace -- merges the members into the default export
namespace drachtio {
  export import Application = application.Application;
  export import Request = request.Request;
  export import Response = response.Response;
  export import ClientRequest = clientRequest.ClientRequest;
  export import IncomingResponse = incomingResponse.IncomingResponse;
  export import ServerError = errors.ServerError;
  export import NotConnectedError = errors.NotConnectedError;
  export import METHODS = methods.METHODS;
  export import digestAuth = digest.digestAuth;
  export const session: typeof sessionMiddleware = sessionMiddleware;
  export const dialog: typeof dialogMiddleware = dialogMiddleware;
  /** For drachtio's companion packages (drachtio-dialog, drachtio-msml): what an application keeps off its type. */
  export import internalsOf = internals.internalsOf;

  export type ApplicationEvents = applicationEvents.ApplicationEvents;
  export type ApplicationLocals = applicationEvents.ApplicationLocals;
  export type ApplicationOptions = applicationEvents.ApplicationOptions;
  export type Logger = logger.Logger;
  export type ApplicationHooks = hooks.ApplicationHooks;
  export type HookName = hooks.HookName;
  export type B2buaLegs = hooks.B2buaLegs;
  export type ApplicationInternals = internals.ApplicationInternals;
  export type EarlyDialog = earlyDialogs.EarlyDialog;
  export type EarlyDialogEvent = earlyDialogs.EarlyDialogEvent;
  export type ConnectCallback = applicationEvents.ConnectCallback;
  export type Uac = uac.Uac;
  export type UacFunction = uac.UacFunction;
  export type ConnectOptions = connectOptions.ConnectOptions;
  export type BackoffOptions = connectOptions.BackoffOptions;
  export type ReconnectInfo = connectOptions.ReconnectInfo;
  export type RequestEvents = request.RequestEvents;
  export type ResponseEvents = response.ResponseEvents;
  export type SendCallback = response.SendCallback;
  export type RequestOptions = clientRequest.RequestOptions;
  export type RequestCallback = clientRequest.RequestCallback;
  export type ClientRequestEvents = clientRequest.ClientRequestEvents;
  export type StatusLine = incomingResponse.StatusLine;
  export type MessageOptions = headers.MessageOptions;
  export type Middleware = middleware.Middleware;
  export type ErrorMiddleware = middleware.ErrorMiddleware;
  export type ResponseMiddleware = middleware.ResponseMiddleware;
  export type ResponseErrorMiddleware = middleware.ResponseErrorMiddleware;
  export type NextFunction = middleware.NextFunction;
  export type Verb = methods.Verb;
  export type DigestAuthOptions = digest.DigestAuthOptions;
  export type ProxyOptions = proxyOptions.ProxyOptions;
  export type Destinations = proxyOptions.Destinations;
  export type ProxyResult = proxiedRequests.ProxyResult;
  export type ProxyCallback = proxiedRequests.ProxyCallback;
  export type PasswordLookup = digest.PasswordLookup;
  export type MiddlewareFactory = (options?: object) => middleware.Middleware;
}

export default drachtio;
export { drachtio, sessionMiddleware as session, dialogMiddleware as dialog };
export type { MiddlewareFactory };
export { Application } from './application';
export type {
  ApplicationEvents,
  ApplicationLocals,
  ApplicationOptions,
  ConnectCallback,
  EarlyDialogEventOverride,
} from './application-events';
export type { Logger } from './logger';
export type { ApplicationHooks, HookName, B2buaLegs } from './hooks';
export { internalsOf } from './internals';
export type { ApplicationInternals } from './internals';
export type { EarlyDialog, EarlyDialogEvent } from './dialogs/early-dialogs';
export type { Uac, UacFunction } from './uac/uac';
export { Request } from './uas/request';
export type { RequestEvents } from './uas/request';
export { Response } from './uas/response';
export type { ResponseEvents, SendCallback } from './uas/response';
export { ClientRequest } from './uac/client-request';
export type { RequestOptions, RequestCallback, ClientRequestEvents } from './uac/client-request';
export { IncomingResponse } from './uac/incoming-response';
export type { StatusLine } from './uac/incoming-response';
export { ServerError, NotConnectedError } from './errors';
export { METHODS } from './methods';
export type { Verb } from './methods';
export { digestAuth } from './middleware/digest-auth';
export type { DigestAuthOptions, PasswordLookup } from './middleware/digest-auth';
export type { NonceStore } from './middleware/nonce-counts';
export type { ProxyOptions, Destinations } from './proxy/proxy-options';
export type { ProxyResult, ProxyCallback } from './proxy/proxied-requests';
export type { ConnectOptions, BackoffOptions, ReconnectInfo } from './wire/connect-options';
export type { MessageOptions } from './headers';
export type {
  Middleware,
  ErrorMiddleware,
  ResponseMiddleware,
  ResponseErrorMiddleware,
  NextFunction,
} from './middleware/stack';
