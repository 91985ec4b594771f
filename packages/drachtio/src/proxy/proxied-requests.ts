import type { ProxyBranchOutcome, ProxyData, ProxyNotice } from 'drachtio-protocol';
import { NotConnectedError } from '../errors';
import { Outcome } from '../outcome';
import type { Request } from '../uas/request';
import type { Agent } from '../wire/agent';
import { proxyCommand, type Destinations, type ProxyOptions } from './proxy-options';

/** What became of a proxied request. */
export interface ProxyResult {
  /** The final response the caller got. */
  finalStatus: number;
  finalReason: string;
  /** A 2xx went upstream: the call is connected (or the request succeeded). */
  connected: boolean;
  /** The branch whose response went upstream; absent when the server generated it (482, or no branch). */
  winner?: ProxyBranchOutcome & { index: number };
  /** Every destination tried (redirect targets included), in the order they were tried. */
  branches: ProxyBranchOutcome[];
}

export type ProxyCallback = (err: Error | null, result?: ProxyResult) => void;

/**
 * Requests this application handed to the server to proxy, until the server reports their
 * outcome: `req.proxy()` and `app.proxyRequest()` send the command and wait here.
 */
export class ProxiedRequests {
  private readonly pending = new Map<string, Outcome<ProxyResult>>();

  constructor(
    private readonly agent: Agent,
    private readonly report: (error: unknown, context: string) => void,
  ) {}

  proxy(
    req: Request,
    destinations: Destinations,
    options: ProxyOptions,
    callback?: ProxyCallback,
  ): PromiseLike<ProxyResult> {
    const outcome = new Outcome<ProxyResult>();
    if (callback)
      void outcome.then<void, void>(
        (result) => callback(null, result),
        (error) => callback(error as Error),
      );
    const fail = (error: Error): void => {
      this.pending.delete(req.transactionId);
      outcome.reject(error);
      if (!callback && !outcome.observed) this.report(error, `proxying ${req.method}`);
    };
    let data: ProxyData;
    try {
      if (req.res.headersSent)
        throw new Error(
          `proxy: a final response (${req.res.statusCode}) was already sent for this ${req.method}`,
        );
      data = proxyCommand(req.transactionId, destinations, options);
    } catch (error) {
      fail(error as Error);
      return outcome;
    }
    // The server answers the request from now on; nothing else may.
    req.res.headersSent = true;
    this.pending.set(req.transactionId, outcome);
    this.agent.command('proxy', data).catch(fail);
    return outcome;
  }

  onNotice(notice: ProxyNotice): void {
    const outcome = this.pending.get(notice.transactionId);
    if (!outcome) return;
    this.pending.delete(notice.transactionId);
    const winner = notice.winner === undefined ? undefined : notice.branches[notice.winner];
    outcome.resolve({
      finalStatus: notice.finalStatus,
      finalReason: notice.finalReason,
      connected: notice.finalStatus >= 200 && notice.finalStatus < 300,
      ...(winner && notice.winner !== undefined
        ? { winner: { ...winner, index: notice.winner } }
        : {}),
      branches: notice.branches,
    });
  }

  /** The connection is gone: the outcomes will not come. */
  abandonAll(): void {
    const error = new NotConnectedError(
      'the connection to drachtio-server-ts was lost before the proxy outcome arrived',
    );
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const outcome of pending) outcome.reject(error);
  }
}
