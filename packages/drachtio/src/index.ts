import * as application from './application';
import type * as applicationEvents from './application-events';
import type * as connectOptions from './wire/connect-options';
import type * as earlyDialogs from './dialogs/early-dialogs';
import type * as hooks from './hooks';
import * as internals from './internals';
import * as clientRequest from './uac/client-request';
import * as digest from './middleware/digest-auth';
import * as errors from './errors';
import type * as headers from './headers';
import * as incomingResponse from './uac/incoming-response';
import * as methods from './methods';
import type * as middleware from './middleware/stack';
import { loadCompanion } from './optional-packages';
import * as request from './uas/request';
import * as response from './uas/response';
import type * as uac from './uac/uac';

/** Creates a drachtio application: `const app = require('drachtio')()`. */
function drachtio(): application.Application {
  return new application.Application();
}

// One namespace merged with the factory, so that `require('drachtio')()`, `import drachtio from
// 'drachtio'` and `import type { Request } from 'drachtio'` all work from the same `export =`.
// eslint-disable-next-line @typescript-eslint/no-namespace -- the only way to merge types into an `export =` function
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
  /** For drachtio's companion packages (drachtio-dialog, drachtio-msml): what an application keeps off its type. */
  export import internalsOf = internals.internalsOf;

  export type ApplicationEvents = applicationEvents.ApplicationEvents;
  export type ApplicationLocals = applicationEvents.ApplicationLocals;
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
  export type PasswordLookup = digest.PasswordLookup;

  /** A companion middleware factory: `drachtio.session({store})`, `drachtio.dialog()`. */
  export type MiddlewareFactory = (options?: object) => middleware.Middleware;

  /** drachtio-session's `session()` middleware factory; throws when drachtio-session is not installed. */
  export declare const session: MiddlewareFactory;
  /** drachtio-dialog's `dialog()` middleware factory; throws when drachtio-dialog is not installed. */
  export declare const dialog: MiddlewareFactory;
}

Object.defineProperty(drachtio, 'session', { enumerable: true, get: () => loadCompanion<drachtio.MiddlewareFactory>('drachtio-session') });
Object.defineProperty(drachtio, 'dialog', { enumerable: true, get: () => loadCompanion<drachtio.MiddlewareFactory>('drachtio-dialog') });

export = drachtio;
