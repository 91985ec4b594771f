/**
 * Stand-ins for drachtio's app, request and response with just the fields the session
 * middleware reads (the core's contract): the middleware's unit tests and drachtio-redis's store
 * tests drive the middleware through them.
 */
import { EventEmitter } from 'node:events';
import type { Session, SessionMiddleware } from '../../src';

type Hook = (arg: never) => void;

/** The app: an EventEmitter (for 'error') with the core's hooks, which a test runs by hand. */
export class FakeApp extends EventEmitter {
  private readonly hooks = new Map<string, Hook[]>();

  addHook(name: string, hook: Hook): this {
    this.hooks.set(name, [...(this.hooks.get(name) ?? []), hook]);
    return this;
  }

  /** As the core does: 'onDialog' with a dialog notice, 'onB2bua' with `{ uas, uac }`. */
  runHook(name: 'onDialog' | 'onB2bua', arg: object): void {
    for (const hook of this.hooks.get(name) ?? []) (hook as (arg: object) => void)(arg);
  }
}

export class FakeResponse extends EventEmitter {
  statusCode?: number;
  headersSent = false;
  finished = false;
  constructor(readonly dialogId?: string) {
    super();
  }
  send(status: number): void {
    this.statusCode = status;
    this.headersSent = this.finished = true;
    this.emit('finish');
  }
}

export interface FakeRequest {
  app: FakeApp;
  method: string;
  callId: string;
  dialogId?: string;
  session?: Session;
}

/**
 * Run one request through `middleware`; the handler sees req.session. Resolves with the final
 * status once the session work scheduled after the response has had time to reach the store.
 */
export function runRequest(
  middleware: SessionMiddleware,
  req: FakeRequest,
  handler: (req: FakeRequest, res: FakeResponse) => void = (_req, res) => res.send(200),
  res = new FakeResponse(),
): Promise<number | undefined> {
  return new Promise((resolve) => {
    res.once('finish', () => setTimeout(() => resolve(res.statusCode), 50));
    middleware(req, res, () => handler(req, res));
  });
}
