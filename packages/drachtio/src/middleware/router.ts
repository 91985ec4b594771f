import { dispatch, type ErrorMiddleware, type Layer, type Middleware, type NextFunction } from './stack';
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
      if (typeof handle !== 'function') throw new TypeError(`app.${method.toLowerCase()}() expects handler functions, got ${typeof handle}`);
      this.layers.push({ method, handle });
    }
  }

  /** Upper-case methods that have at least one handler. */
  methods(): string[] {
    return [...new Set(this.layers.map((layer) => layer.method as string))];
  }
}
