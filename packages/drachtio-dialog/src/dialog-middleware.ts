/**
 * `app.use(drachtio.dialog())`, after `drachtio.session()`: every request passes through here
 * on its way to the router, which is how the app's dialogs are found and followed.
 */
import type { SipDialogEvent } from './dialog-event';
import type { Application, Middleware, NextFunction, Request, Response } from 'drachtio';
import { registerClass } from 'drachtio-session';
import { DialogController, type DialogControllerOptions } from './dialog-controller';
import { SipDialog } from './sip-dialog';

export interface DialogOptions extends DialogControllerOptions {
  /**
   * The app, when it sends INVITEs before it has received any request: the middleware meets
   * its app with the first request otherwise, too late to see the responses to earlier calls.
   */
  app?: Application;
}

export type DialogMiddleware = Middleware;

// Stored dialogs come back from the session store as SipDialog instances, in every process.
registerClass(SipDialog, 'SipDialog');

/** One controller per app, however many times the middleware is installed. */
const controllers = new WeakMap<Application, DialogController>();

export function dialog(options: DialogOptions = {}): DialogMiddleware {
  if (options.app) controllerFor(options.app, options);

  return function dialogMiddleware(req: Request, res: Response, next: NextFunction): void {
    if (!('session' in req) || req.session === undefined) {
      next(
        new Error(
          'drachtio.dialog() needs drachtio.session() installed before it: app.use(drachtio.session(...)) first',
        ),
      );
      return;
    }
    controllerFor(req.app, options).onRequest(req, res);
    next();
  };
}

function controllerFor(app: Application, options: DialogControllerOptions): DialogController {
  let controller = controllers.get(app);
  if (!controller) {
    controller = new DialogController(app, options);
    controllers.set(app, controller);
  }
  return controller;
}

declare module 'drachtio' {
  interface Request {
    /** The dialog this in-dialog request belongs to (set by drachtio.dialog()). */
    dialog?: SipDialog;
  }
  interface ApplicationEvents {
    'sipdialog:create': [event: SipDialogEvent];
    'sipdialog:terminate': [event: SipDialogEvent];
  }
  /** dialog() announces early dialogs itself, as SipDialogs. */
  interface EarlyDialogEventOverride {
    event: SipDialogEvent;
  }
}
