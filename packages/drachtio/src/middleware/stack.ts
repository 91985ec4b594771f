import type { ClientRequest } from '../uac/client-request';
import type { IncomingResponse } from '../uac/incoming-response';
import type { Request } from '../uas/request';
import type { Response } from '../uas/response';

/** Passes control to the next middleware; with an argument, to the next error middleware. */
export type NextFunction = (err?: unknown) => void;

/** `(req, res, next)`: may answer, filter, decorate, or pass on. May be async. */
export type Middleware = (req: Request, res: Response, next: NextFunction) => unknown;

/** `(err, req, res, next)`: recognised by its arity of 4, like express. */
export type ErrorMiddleware = (
  err: unknown,
  req: Request,
  res: Response,
  next: NextFunction,
) => unknown;

/** `app.use('response', fn)`: sees each response to a request the application sent. */
export type ResponseMiddleware = (
  req: ClientRequest,
  res: IncomingResponse,
  next: NextFunction,
) => unknown;

export type ResponseErrorMiddleware = (
  err: unknown,
  req: ClientRequest,
  res: IncomingResponse,
  next: NextFunction,
) => unknown;

/** One entry of a middleware stack; `method` limits it to one upper-case SIP method. */
export interface Layer<Req, Res> {
  method?: string;
  handle:
    | ((req: Req, res: Res, next: NextFunction) => unknown)
    | ((err: unknown, req: Req, res: Res, next: NextFunction) => unknown);
}

interface Dispatchable {
  method: string;
}

/**
 * Walks a stack the way express does: each matching layer gets the message in order;
 * `next(err)` (or a throw, or a rejected promise) skips ahead to the next layer of arity 4;
 * `done` runs when the stack is exhausted, with the error if one is still unhandled.
 */
export function dispatch<Req extends Dispatchable, Res>(
  layers: readonly Layer<Req, Res>[],
  req: Req,
  res: Res,
  done: (err?: unknown) => void,
): void {
  let index = 0;
  const next: NextFunction = (err) => {
    const failed = err !== undefined && err !== null;
    while (index < layers.length) {
      const layer = layers[index++];
      if (layer.method !== undefined && layer.method !== req.method) continue;
      const isErrorHandler = layer.handle.length === 4;
      if (failed !== isErrorHandler) continue;
      invoke(layer, failed ? err : undefined, req, res, next);
      return;
    }
    done(failed ? err : undefined);
  };
  next();
}

function invoke<Req, Res>(
  layer: Layer<Req, Res>,
  err: unknown,
  req: Req,
  res: Res,
  next: NextFunction,
): void {
  try {
    const result =
      err === undefined
        ? (layer.handle as (req: Req, res: Res, next: NextFunction) => unknown)(req, res, next)
        : (layer.handle as (err: unknown, req: Req, res: Res, next: NextFunction) => unknown)(
            err,
            req,
            res,
            next,
          );
    if (isThenable(result))
      result.then(undefined, (rejection: unknown) =>
        next(rejection ?? new Error('middleware rejected without a reason')),
      );
  } catch (thrown) {
    next(thrown ?? new Error('middleware threw without a reason'));
  }
}

export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
