/**
 * `app.use(drachtio.dialog())`, after `drachtio.session()`: every request passes through here
 * on its way to the router, which is how the app's dialogs are found and followed.
 */
import type { Application, Middleware, NextFunction, Request, Response } from 'drachtio';
import { registerClass } from 'drachtio-session';
import { DialogController, type DialogControllerOptions } from './dialog-controller';
import { SipDialog } from './sip-dialog';

export type DialogOptions = DialogControllerOptions;

export type DialogMiddleware = Middleware;

// Stored dialogs come back from the session store as SipDialog instances, in every process.
registerClass(SipDialog, 'SipDialog');

export function dialog(options: DialogOptions = {}): DialogMiddleware {
  const controllers = new WeakMap<Application, DialogController>();

  function controllerFor(app: Application): DialogController {
    let controller = controllers.get(app);
    if (!controller) {
      controller = new DialogController(app, options);
      controllers.set(app, controller);
    }
    return controller;
  }

  return function dialogMiddleware(req: Request, res: Response, next: NextFunction): void {
    if (!('session' in req) || req.session === undefined) {
      next(new Error('drachtio.dialog() needs drachtio.session() installed before it: app.use(drachtio.session(...)) first'));
      return;
    }
    controllerFor(req.app).onRequest(req, res);
    next();
  };
}

declare module 'drachtio' {
  interface Request {
    /** The dialog this in-dialog request belongs to (set by drachtio.dialog()). */
    dialog?: SipDialog;
  }
}
