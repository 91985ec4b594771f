/**
 * The proxy core (RFC 3261 section 16), a usage like the INVITE one: the application hands it
 * a received request and its destinations (`proxy`), and it owns everything after — loop check,
 * Route processing, a response context with its branches, the outcome reported once. Requests
 * of a dialog it record-routed come back to it (the `dpx` mark) and are forwarded without the
 * application, the ACK of a 2xx statelessly; a 2xx that matches no branch any more goes up by Via.
 */
import type { ProxyData, ProxyNotice } from 'drachtio-protocol';
import { parseUri, splitList, type SipRequest, type SipResponse } from 'drachtio-sip';
import { EngineError } from '../../engine-api';
import type { Essentials } from '../../transaction/message-essentials';
import type { InboundMessage, LocalAddress } from '../../transport/transport';
import { applicationHeaders } from '../application-headers';
import type { UserAgentCore } from '../core';
import { headerList } from '../headers/header-list';
import type { OpenRequest, ServerRequest } from '../server/server-request';
import { isLoop, isProxyBranch, loopHash, proxyBranch } from './loop-detection';
import { forwardedRequest, upstreamResponse } from './proxy-message';
import { hasProxyMark, nextHop, preprocessRoute, routeValues, uriOf } from './proxy-routing';
import { ResponseContext, type ProxyPlan } from './response-context';
import { forwardStatelessly } from './stateless';

const TRANSPORTS = ['udp', 'tcp'] as const;

export class ProxyCore {
  constructor(private readonly core: UserAgentCore) {}

  /** The application's `proxy` command. Throws (nothing sent) when the command cannot be carried out. */
  proxy(data: ProxyData, onOutcome: (notice: ProxyNotice) => void): void {
    const request = this.core.transactions.server(data.transactionId);
    if (!request)
      throw new EngineError('unknown-transaction', `no server transaction ${data.transactionId}`);
    const { open } = request;
    if (!open || request.proxy)
      throw new EngineError(
        'invalid-state',
        `${data.transactionId} is answered or proxied already`,
      );
    if (request.method === 'CANCEL')
      throw new EngineError('invalid-argument', 'a CANCEL is not proxied: the INVITE is');
    const headers = applicationHeaders(this.core.logger, data.headers, 'dialog');
    const message = open.request;
    const routed = this.routed(message);
    const targets = data.destinations.map((destination) => {
      const uri = typeof destination === 'string' ? destination : destination.uri;
      // RFC 3327 5.3: a contact registered with a Path is reached through it.
      const route = typeof destination === 'string' ? [] : (destination.route ?? []);
      let scheme = '';
      try {
        scheme = parseUri(uri).scheme;
      } catch {
        scheme = '';
      }
      if (scheme !== 'sip')
        throw new EngineError(
          'invalid-argument',
          `destination "${uri.slice(0, 80)}" is not a sip: URI`,
        );
      return { uri, hop: nextHop(uri, [...route, ...routed.routes]) };
    });
    const hash = this.hashOf(message, open);
    if (isLoop(this.viaBranches(message), hash)) {
      request.answerLocally({ status: 482, reason: 'Loop Detected' });
      onOutcome({
        transactionId: request.id,
        finalStatus: 482,
        finalReason: 'Loop Detected',
        branches: [],
      });
      return;
    }
    this.begin(
      request,
      open,
      {
        targets,
        forking: data.forking ?? 'sequential',
        recordRoute: data.recordRoute === true,
        followRedirects: data.followRedirects === true,
        timeouts: { provisional: data.provisionalTimeout, final: data.finalTimeout },
        headers,
        loopHash: hash,
        routes: routed.routes,
      },
      onOutcome,
    );
  }

  /** A request in a dialog this proxy record-routed (our mark in its top Route or Request-URI). */
  routesThrough(message: SipRequest, fields: Essentials): boolean {
    if (fields.toTag === undefined) return false;
    const [top] = routeValues(message.getHeaders('route'));
    return hasProxyMark(message.uri) || (top !== undefined && hasProxyMark(top));
  }

  /** Forwards an in-dialog request to its next hop in a response context of one branch. */
  forwardInDialog(request: ServerRequest, open: OpenRequest): void {
    const message = open.request;
    const maxForwards = message.getHeader('max-forwards')?.trim();
    if (maxForwards === '0') return request.answerLocally({ status: 483 });
    const hash = this.hashOf(message, open);
    if (isLoop(this.viaBranches(message), hash))
      return request.answerLocally({ status: 482, reason: 'Loop Detected' });
    const routed = this.routed(message);
    const hop = nextHop(routed.requestUri, routed.routes);
    this.begin(
      request,
      open,
      {
        targets: [{ uri: hop.requestUri, hop }],
        forking: 'sequential',
        recordRoute: false,
        followRedirects: false,
        timeouts: {},
        headers: headerList(undefined, 'dialog'),
        loopHash: hash,
        routes: routed.routes,
      },
      undefined,
    );
  }

  /** The ACK of a 2xx in a dialog we record-routed: no transaction, forwarded as it is (16.11). */
  forwardAck(message: SipRequest, fields: Essentials, inbound: InboundMessage): boolean {
    if (!this.routesThrough(message, fields)) return false;
    const routed = this.routed(message);
    const hop = nextHop(routed.requestUri, routed.routes);
    const hash = loopHash({ ...this.loopFields(message, fields), requestUri: message.uri });
    void this.core.outbound.resolver.first(hop.destination).then(
      (destination) => {
        const via = this.core.transport.viaFor(destination, proxyBranch(hash));
        const wire = forwardedRequest(message, inbound.data, {
          method: 'ACK',
          requestUri: hop.requestUri,
          via,
          routes: hop.routes,
          recordRoutes: [],
          headerLines: [],
          replaced: new Set(),
        });
        this.core.transport.send(wire, destination);
      },
      (error: Error) => this.core.logger.info({ err: error }, 'ACK not forwarded: unroutable'),
    );
    return true;
  }

  /** The request passed through this proxy before (one of its Vias is ours): a spiral, not a merge. */
  forwardedBefore(viaLines: readonly string[]): boolean {
    return viaLines.flatMap((line) => splitList(line)).some((via) => isProxyBranch(branchOf(via)));
  }

  /** A response to one of our branches that matches no transaction: a 2xx to INVITE goes up. */
  stray(response: SipResponse, fields: Essentials, inbound: InboundMessage): boolean {
    if (!isProxyBranch(fields.topVia.branch)) return false;
    if (fields.cseq.method === 'INVITE' && response.status >= 200 && response.status < 300)
      forwardStatelessly(this.core, response, upstreamResponse(response, inbound.data));
    return true;
  }

  private begin(
    request: ServerRequest,
    open: OpenRequest,
    plan: ProxyPlan,
    onOutcome: ((notice: ProxyNotice) => void) | undefined,
  ): void {
    // The proxy's timers bound the request now, not the wait for an application's answer.
    clearTimeout(open.deadline);
    open.deadline = undefined;
    const context = new ResponseContext(this.core, request, open, plan, onOutcome);
    request.proxy = context;
    context.start();
  }

  /** RFC 3261 16.4 applied to the request's Request-URI and Route. */
  private routed(message: SipRequest): { requestUri: string; routes: string[] } {
    return preprocessRoute(message.uri, routeValues(message.getHeaders('route')), this.locals());
  }

  private hashOf(message: SipRequest, open: OpenRequest): string {
    return loopHash({ ...this.loopFields(message, open.essentials), requestUri: message.uri });
  }

  private loopFields(message: SipRequest, fields: Essentials) {
    return {
      requestUri: message.uri,
      routes: routeValues(message.getHeaders('route')).map(uriOf),
      callId: fields.callId,
      fromTag: fields.fromTag,
      toTag: fields.toTag,
      cseq: fields.cseq.seq,
      proxyRequire: message.getHeader('proxy-require'),
      proxyAuthorization: message.getHeader('proxy-authorization'),
    };
  }

  private viaBranches(message: SipRequest): (string | undefined)[] {
    return message
      .getHeaders('via')
      .flatMap((line) => splitList(line))
      .map(branchOf);
  }

  /** Our addresses, for a preloaded Route that names this server (16.4). */
  private locals(): LocalAddress[] {
    const { transport } = this.core;
    const locals: LocalAddress[] = [];
    for (const name of TRANSPORTS)
      for (const ipv6 of [false, true])
        if (transport.supports(name, ipv6))
          locals.push(
            transport.localFor({ address: ipv6 ? '::1' : '127.0.0.1', port: 0, transport: name }),
          );
    return locals;
  }
}

function branchOf(via: string): string | undefined {
  return /;\s*branch=([^;\s,]+)/i.exec(via)?.[1];
}
