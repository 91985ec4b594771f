/**
 * The response context of one proxied request (RFC 3261 16.7): its branches, started one after
 * the other or all at once, what goes upstream (provisionals, every 2xx, else the best final
 * once every branch has ended), the CANCEL of the other branches on a 2xx or 6xx (16.7 step 10),
 * a caller's CANCEL fanned out (16.10), 3xx Contacts followed when asked (16.5), and the
 * outcome for whoever asked for the proxying.
 */
import type { ForkingMode, ProxyNotice } from 'drachtio-protocol';
import type { Destination } from '../../transport/transport';
import type { ReceivedResponse } from '../client/client-request';
import type { UserAgentCore } from '../core';
import type { HeaderList } from '../headers/header-list';
import { reasonPhrase } from '../server/reason-phrases';
import type { OpenRequest, ServerRequest } from '../server/server-request';
import { aggregatedChallenges, bestResponse, upstreamStatus } from './best-response';
import { ProxyBranch, type BranchEvents, type BranchTimeouts } from './proxy-branch';
import { forwardedRequest, upstreamResponse } from './proxy-message';
import { nextHop, recordRoutes, type NextHop } from './proxy-routing';
import { forwardStatelessly } from './stateless';

/** Branches of one context, redirects included: every count from the network is bounded. */
export const MAX_BRANCHES = 32;

export interface ProxyTarget {
  uri: string;
  hop: NextHop;
}

export interface ProxyPlan {
  targets: ProxyTarget[];
  forking: ForkingMode;
  recordRoute: boolean;
  followRedirects: boolean;
  timeouts: BranchTimeouts;
  headers: HeaderList;
  loopHash: string;
  /** Route values left after RFC 3261 16.4 (a 3xx Contact is sent along the same route). */
  routes: string[];
}

export class ResponseContext implements BranchEvents {
  private readonly branches: ProxyBranch[] = [];
  private readonly queue: ProxyTarget[];
  private readonly tried = new Set<string>();
  private finalSent = false;
  private canceled = false;
  private winner: number | undefined;
  private finalStatus = 0;
  private finalReason = '';
  private readonly isInvite: boolean;

  constructor(
    private readonly core: UserAgentCore,
    private readonly request: ServerRequest,
    private readonly open: OpenRequest,
    private readonly plan: ProxyPlan,
    private readonly onOutcome: ((notice: ProxyNotice) => void) | undefined,
  ) {
    this.queue = [...plan.targets];
    this.isInvite = request.method === 'INVITE';
    for (const target of plan.targets) this.tried.add(target.uri);
  }

  start(): void {
    this.advance();
  }

  /** The caller's CANCEL (16.10): every pending branch is canceled, no new one starts. */
  cancel(): void {
    this.canceled = true;
    this.queue.length = 0;
    for (const branch of this.branches) branch.cancel();
    this.advance();
  }

  provisional(_branch: ProxyBranch, response: ReceivedResponse): void {
    if (this.finalSent) return;
    this.sendUpstream(response.status, this.upstream(response));
  }

  final(branch: ProxyBranch, response: ReceivedResponse): void {
    const { status } = response;
    if (status < 300) return this.success(branch, response);
    if (this.finalSent) return;
    if (status >= 600 && this.isInvite) this.stopSearching();
    else if (status < 400 && this.plan.followRedirects && !this.canceled) this.redirect(response);
    this.advance();
  }

  failed(): void {
    this.advance();
  }

  /** Every 2xx goes upstream (16.7 step 5); the first ends the search. */
  private success(branch: ProxyBranch, response: ReceivedResponse): void {
    const wire = this.upstream(response);
    if (this.finalSent) {
      const { transaction } = this.request;
      if (!transaction.terminated && 'resend' in transaction) transaction.resend(wire);
      else forwardStatelessly(this.core, response.message, wire);
      return;
    }
    this.stopSearching();
    this.sendUpstream(response.status, wire);
    this.finish(this.branches.indexOf(branch), response.status, response.message.reason);
  }

  /** A 2xx or 6xx: the other branches are canceled and no further one starts (16.7 step 10). */
  private stopSearching(): void {
    this.queue.length = 0;
    for (const branch of this.branches) if (branch.live) branch.giveUp(487);
  }

  /** 16.5: a 3xx's Contacts, best q first, become further targets along the same route. */
  private redirect(response: ReceivedResponse): void {
    const contacts = response.message.get('contact');
    if (!Array.isArray(contacts)) return;
    const sorted = [...contacts].sort((a, b) => (b.q ?? 1) - (a.q ?? 1));
    for (const contact of sorted) {
      if (this.tried.size >= MAX_BRANCHES) break;
      if (this.tried.has(contact.uri) || !/^sips?:/i.test(contact.uri)) continue;
      this.tried.add(contact.uri);
      this.queue.push({ uri: contact.uri, hop: nextHop(contact.uri, this.plan.routes) });
    }
  }

  /** Starts what the forking mode allows; with nothing live and nothing left, the best final goes up. */
  private advance(): void {
    if (this.finalSent) return;
    const live = this.branches.some((branch) => branch.live);
    if (this.plan.forking === 'simultaneous') {
      while (this.queue.length > 0) this.startBranch(this.queue.shift() as ProxyTarget);
    } else if (!live && this.queue.length > 0) {
      this.startBranch(this.queue.shift() as ProxyTarget);
    }
    if (!this.branches.some((branch) => branch.live) && this.queue.length === 0) this.sendBest();
  }

  private startBranch(target: ProxyTarget): void {
    const branch = new ProxyBranch(
      this.core,
      target.uri,
      target.hop,
      this.open.request,
      this.plan.loopHash,
      this,
    );
    this.branches.push(branch);
    void branch.start(
      (via, destination) => this.branchRequest(target.hop, via, destination),
      this.plan.timeouts,
    );
  }

  private branchRequest(hop: NextHop, via: string, destination: Destination): Buffer {
    const { transport } = this.core;
    const { request, inbound } = this.open;
    const { headers } = this.plan;
    return forwardedRequest(request, inbound.data, {
      method: request.method,
      requestUri: hop.requestUri,
      via,
      routes: hop.routes,
      recordRoutes: this.plan.recordRoute
        ? recordRoutes(transport.localFor(inbound.source), transport.localFor(destination))
        : [],
      headerLines: headers.lines,
      replaced: new Set(headers.values.keys()),
    });
  }

  /** 16.7 step 6: every branch has ended without a 2xx; the best of their finals goes up. */
  private sendBest(): void {
    const ended = this.branches.filter((branch) => branch.outcome);
    const followed = (branch: ProxyBranch) =>
      this.plan.followRedirects && (branch.outcome?.status ?? 0) < 400;
    // A 3xx whose Contacts were tried speaks for nobody, unless nothing else answered.
    const candidates = ended.some((branch) => !followed(branch))
      ? ended.filter((branch) => !followed(branch))
      : ended;
    const finals = candidates.map((branch) => ({
      status: branch.outcome?.status ?? 408,
      challenges: challengeLines(branch.outcome?.response),
    }));
    const chosen = bestResponse(finals);
    const branch = candidates[chosen];
    const response = branch?.outcome?.response;
    const status = upstreamStatus(branch?.outcome?.status ?? 408);
    if (response) {
      const extraLines = aggregatedChallenges(finals, chosen);
      const changes =
        status === response.status
          ? { extraLines }
          : { status, reason: 'Server Internal Error', extraLines };
      this.sendUpstream(status, this.upstream(response, changes));
    } else this.request.answerLocally({ status });
    const reason = response && status === response.status ? response.message.reason : undefined;
    this.finish(branch ? this.branches.indexOf(branch) : undefined, status, reason);
  }

  private upstream(
    response: ReceivedResponse,
    changes?: Parameters<typeof upstreamResponse>[2],
  ): Buffer {
    return upstreamResponse(
      response.message,
      response.inbound?.data ?? Buffer.from(response.message.toString()),
      changes,
    );
  }

  private sendUpstream(status: number, wire: Buffer): void {
    this.request.relay(status, wire);
  }

  private finish(winner: number | undefined, status: number, reason: string | undefined): void {
    this.finalSent = true;
    this.winner = winner !== undefined && winner >= 0 ? winner : undefined;
    this.finalStatus = status;
    this.finalReason = reason ?? reasonPhrase(status);
    this.onOutcome?.(this.notice());
  }

  private notice(): ProxyNotice {
    return {
      transactionId: this.request.id,
      finalStatus: this.finalStatus,
      finalReason: this.finalReason,
      ...(this.winner !== undefined ? { winner: this.winner } : {}),
      branches: this.branches.map((branch) => ({
        uri: branch.uri,
        status: branch.outcome?.status ?? 487,
        reason: branch.outcome?.reason ?? 'Request Terminated',
        received:
          branch.outcome?.response !== undefined && branch.outcome.response.inbound !== undefined,
      })),
    };
  }
}

/** The challenge lines of a 401/407 (RFC 3261 16.7 step 7). */
function challengeLines(response: ReceivedResponse | undefined): string[] {
  if (!response || (response.status !== 401 && response.status !== 407)) return [];
  return [
    ...response.message.getHeaders('www-authenticate').map((v) => `WWW-Authenticate: ${v}`),
    ...response.message.getHeaders('proxy-authenticate').map((v) => `Proxy-Authenticate: ${v}`),
  ];
}
