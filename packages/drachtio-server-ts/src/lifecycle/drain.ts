/**
 * Graceful shutdown (SIGTERM, SIGINT): refuse new calls with 503 and Retry-After, let the
 * calls in progress end by themselves until the drain timeout, then send each one left a BYE,
 * wait briefly for the answers, and close. A second signal cuts the wait short.
 */
import type { Logger } from 'pino';
import type { EngineResponse } from '../engine-api';
import type { DialogTracker } from '../observability';
import type { DrachtioServer } from '../server';

/** How long the BYEs get to be answered before the sockets close (64*T1 would be 32 s: too long to hold a shutdown). */
const BYE_ANSWER_MS = 4000;

export interface DrainOptions {
  /** ms calls may go on by themselves. */
  drainTimeout: number;
  /** Seconds, on the 503 new requests get. */
  retryAfter: number;
}

export interface DrainSummary {
  /** Calls (confirmed or early dialogs) when the drain began. */
  calls: number;
  /** Of those, how many ended by themselves during the drain. */
  endedByThemselves: number;
  /** BYEs sent at the drain timeout, and how many of them got a final response. */
  byes: number;
  byesAnswered: number;
  ms: number;
}

export class Drain {
  private hurry: (() => void) | undefined;
  private started = false;

  constructor(
    private readonly server: DrachtioServer,
    private readonly dialogs: DialogTracker,
    private readonly options: DrainOptions,
    private readonly logger: Logger,
  ) {}

  /** Begins the drain, or (if one is under way) stops waiting for calls to end. Resolves with the summary once closed. */
  run(): Promise<DrainSummary> | undefined {
    if (this.started) {
      this.logger.info('second stop signal: ending the remaining calls now');
      this.hurry?.();
      return undefined;
    }
    this.started = true;
    return this.drain();
  }

  private async drain(): Promise<DrainSummary> {
    const start = Date.now();
    const calls = this.dialogs.size;
    this.server.control.stopAccepting(this.options.retryAfter);
    this.logger.info(
      { calls, drainTimeout: this.options.drainTimeout, retryAfter: this.options.retryAfter },
      'draining: new calls get 503, calls in progress may finish',
    );
    const hurried = new Promise<void>((resolve) => (this.hurry = resolve));
    await Promise.race([this.dialogs.whenEmpty(this.options.drainTimeout), hurried]);
    const left = this.dialogs.confirmed();
    const endedByThemselves = calls - this.dialogs.size;
    const answered = await Promise.all(left.map((dialogId) => this.bye(dialogId)));
    await this.server.close();
    return {
      calls,
      endedByThemselves,
      byes: left.length,
      byesAnswered: answered.filter(Boolean).length,
      ms: Date.now() - start,
    };
  }

  /** True once the far end answered the BYE (any final response: the call is over either way). */
  private bye(dialogId: string): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), BYE_ANSWER_MS);
      const onResponse = (response: EngineResponse) => {
        if (response.status < 200) return;
        clearTimeout(timer);
        resolve(true);
      };
      const headers = { Reason: 'SIP;cause=503;text="server shutting down"' };
      this.server.engine
        .request({ method: 'BYE', dialogId, headers }, onResponse)
        .catch((err: Error) => {
          this.logger.debug({ err, dialogId }, 'could not send the shutdown BYE');
          clearTimeout(timer);
          resolve(false);
        });
    });
  }
}
