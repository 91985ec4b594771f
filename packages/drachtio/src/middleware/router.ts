import {
  dispatch,
  isThenable,
  type ErrorMiddleware,
  type Layer,
  type Middleware,
  type NextFunction,
} from './stack';
import type { Request } from '../uas/request';
import type { Response } from '../uas/response';

/**
 * The handlers registered with `app[verb](...)`, in registration order. Mounted with
 * `app.use(app.router)` — or implicitly at the end of the stack when the app never mounts it.
 */
export class Router {
  private readonly layers: Layer<Request, Response>[] = [];

  /** The router as a middleware function, for `app.use(app.router)`. */
  readonly middleware: Middleware = (req: Request, res: Response, next: NextFunction): void => {
    dispatch(this.layers, req, res, next);
  };

  route(method: string, handlers: ReadonlyArray<Middleware | ErrorMiddleware>): void {
    for (const handle of handlers) {
      if (typeof handle !== 'function')
        throw new TypeError(
          `app.${method.toLowerCase()}() expects handler functions, got ${typeof handle}`,
        );
      this.layers.push({
        method,
        handle: method === 'BYE' && handle.length < 4 ? answeringBye(handle as Middleware) : handle,
      });
    }
  }

  /** Upper-case methods that have at least one handler. */
  methods(): string[] {
    return [...new Set(this.layers.map((layer) => layer.method as string))];
  }
}

/**
 * A BYE ends its dialog whatever the application answers, so a BYE handler that neither
 * answers nor passes the request on (the seed's `app.bye((req) => console.log(...))`) is
 * answered 200 when it returns, or when the promise it returns settles.
 */
function answeringBye(handle: Middleware): Middleware {
  return (req, res, next) => {
    let passedOn = false;
    const result = handle(req, res, (err) => {
      passedOn = true;
      next(err);
    });
    const answer = (): void => {
      if (!passedOn && !res.headersSent) res.send(200);
    };
    if (!isThenable(result)) {
      answer();
      return result;
    }
    return result.then(answer);
  };
}
