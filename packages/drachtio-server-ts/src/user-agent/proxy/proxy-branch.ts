/**
 * One branch of a proxied request (RFC 3261 16.6, 16.8, 16.9): its client transaction from the
 * transaction table, its CANCEL (only once a provisional came, 9.1), the ACK of a non-2xx
 * (17.1.1.3, by the transaction), its timeouts (Timer C, the application's provisional and
 * final timeouts) and how it ended. What its responses mean is the response context's business.
 */
import type { SipRequest } from 'drachtio-sip';
import { InviteClientTransaction } from '../../transaction/invite-client-transaction';
import { clientKey } from '../../transaction/matching';
import { NonInviteClientTransaction } from '../../transaction/non-invite-client-transaction';
import type { ClientTransaction } from '../../transaction/transaction-table';
import type { Channel } from '../../transaction/transaction';
import type { Destination } from '../../transport/transport';
import type { ReceivedResponse } from '../client/client-request';
import { requestChannel } from '../client/request-channel';
import type { UserAgentCore } from '../core';
import { reasonPhrase } from '../server/reason-phrases';
import { proxyBranch } from './loop-detection';
import { branchRequest } from './proxy-message';
import type { NextHop } from './proxy-routing';

export interface BranchOutcome {
  status: number;
  reason: string;
  /** The network's final response; undefined when the status was generated here. */
  response?: ReceivedResponse;
}

export interface BranchEvents {
  /** 101-199, before the branch's final (100 is hop-by-hop, RFC 3261 16.7 step 5). */
  provisional(branch: ProxyBranch, response: ReceivedResponse): void;
  /** Every 2xx (retransmissions included) and the first non-2xx final from the network. */
  final(branch: ProxyBranch, response: ReceivedResponse): void;
  /** Ended with a status generated here: 408 (timeouts), 503 (unreachable). */
  failed(branch: ProxyBranch): void;
}

export interface BranchTimeouts {
  provisional?: number;
  final?: number;
}

/** Builds the branch's request for the Via and destination it was given. */
export type BuildRequest = (via: string, destination: Destination) => Buffer;

export class ProxyBranch {
  outcome: BranchOutcome | undefined;
  /** A provisional arrived: CANCEL may be sent (RFC 3261 9.1). */
  private provisionalSeen = false;
  private cancelWanted = false;
  private canceled = false;
  private sent: { via: string; destination: Destination } | undefined;
  private transaction: ClientTransaction<ReceivedResponse> | undefined;
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(
    private readonly core: UserAgentCore,
    /** The destination as the application named it. */
    readonly uri: string,
    readonly hop: NextHop,
    private readonly request: SipRequest,
    private readonly loopHash: string,
    private readonly events: BranchEvents,
  ) {}

  get live(): boolean {
    return this.outcome === undefined;
  }

  async start(build: BuildRequest, timeouts: BranchTimeouts): Promise<void> {
    let destination: Destination;
    let via: string;
    const branch = proxyBranch(this.loopHash);
    try {
      destination = await this.core.outbound.resolver.first(this.hop.destination);
      via = this.core.transport.viaFor(destination, branch);
    } catch (error) {
      this.core.logger.info({ err: error, uri: this.hop.destination }, 'proxy branch unroutable');
      return this.fail(503);
    }
    if (!this.live) return; // given up while resolving
    this.sent = { via, destination };
    const method = this.request.method;
    const key = clientKey(branch, method);
    const channel = this.channel(destination, () => {
      this.fail(503);
      this.transaction?.terminate();
    });
    const user = {
      onResponse: (response: ReceivedResponse) => this.receive(response),
      onTimeout: (timer: 'B' | 'C' | 'F') => this.timeout(timer),
      buildAck: (response: ReceivedResponse) =>
        this.branchRequest('ACK', response.message.getHeader('to') ?? ''),
    };
    const { transactions, timers } = this.core;
    const onTerminated = () => {
      if (this.transaction) transactions.removeClientTransaction(key, this.transaction);
    };
    const wire = build(via, destination);
    this.transaction =
      method === 'INVITE'
        ? new InviteClientTransaction(branch, wire, channel, timers, user, onTerminated)
        : new NonInviteClientTransaction(branch, wire, channel, timers, user, onTerminated);
    if (!this.transaction.terminated) transactions.addClientTransaction(key, this.transaction);
    this.startTimer(timeouts.provisional, () => !this.provisionalSeen && this.giveUp());
    this.startTimer(timeouts.final, () => this.giveUp());
  }

  /** CANCEL now if a provisional came, else as soon as one does (RFC 3261 9.1, 16.10). */
  cancel(): void {
    if (this.request.method !== 'INVITE' || this.canceled) return;
    if (this.outcome?.response && this.outcome.response.status >= 200) return;
    if (!this.provisionalSeen || !this.sent) {
      this.cancelWanted = true;
      return;
    }
    this.canceled = true;
    const { destination } = this.sent;
    const wire = this.branchRequest('CANCEL', this.request.getHeader('to') ?? '');
    const key = clientKey(/branch=([^;\s]+)/i.exec(this.sent.via)?.[1] ?? '', 'CANCEL');
    const { transactions, timers } = this.core;
    const cancel: NonInviteClientTransaction<ReceivedResponse> = new NonInviteClientTransaction(
      `${key}-cancel`,
      wire,
      this.channel(destination, () => cancel.terminate()),
      timers,
      { onResponse: () => undefined, onTimeout: () => undefined },
      () => transactions.removeClientTransaction(key, cancel),
    );
    if (!cancel.terminated) transactions.addClientTransaction(key, cancel);
  }

  /**
   * The context stops waiting for this branch: 408 when it took too long, 487 when another
   * branch settled the request; a CANCEL goes out when it can.
   */
  giveUp(status = 408): void {
    if (!this.live) return;
    this.cancel();
    this.fail(status);
  }

  private receive(response: ReceivedResponse): void {
    const { status } = response;
    if (status < 200) {
      this.provisionalSeen = true;
      if (this.cancelWanted) this.cancel();
      if (this.live && status > 100) this.events.provisional(this, response);
      return;
    }
    const first = this.live;
    if (first) this.end({ status, reason: response.message.reason, response });
    if (status < 300 || first) this.events.final(this, response);
  }

  private timeout(timer: 'B' | 'C' | 'F'): void {
    // Timer C (RFC 3261 16.8): the branch rang too long; the transaction stays for the 487.
    if (timer === 'C') this.cancel();
    this.fail(408);
  }

  private fail(status: number): void {
    if (!this.live) return;
    this.end({ status, reason: reasonPhrase(status) });
    this.events.failed(this);
  }

  private end(outcome: BranchOutcome): void {
    this.outcome = outcome;
    for (const timer of this.timers) clearTimeout(timer);
  }

  private startTimer(ms: number | undefined, fire: () => void): void {
    if (ms === undefined) return;
    const timer = setTimeout(fire, ms);
    timer.unref?.();
    this.timers.push(timer);
  }

  private branchRequest(method: 'ACK' | 'CANCEL', to: string): Buffer {
    return branchRequest(method, this.request, {
      via: this.sent?.via ?? '',
      requestUri: this.hop.requestUri,
      routes: this.hop.routes,
      to,
    });
  }

  private channel(destination: Destination, onFailure: () => void): Channel {
    return requestChannel(this.core, destination, undefined, onFailure);
  }
}
