import { ProtocolError, type Endpoint, type ProxyData, type ProxyNotice } from 'drachtio-protocol';
import { metaTokens } from './meta';
import { srfFrame } from './srf-frame';
import { DIALOG_OWNED, headerMap, parseSipText } from './sip-text';

/**
 * srf's `proxy|<transactionId>|<remainInDialog>|<fullResponse>|<followRedirects>|
 * <simultaneous|serial>|<provisionalTimeout>|<finalTimeout>|<destination>...` (drachtio-agent.js
 * `proxy`), with an empty request after the CRLF that carries the headers to add. A flag is its
 * own name or empty; a timeout is `2s`, `1500ms` or empty.
 */
export function proxyCommand(args: readonly string[], sip: string | undefined): ProxyData {
  const [transactionId = '', remainInDialog, , followRedirects, forking, provisional, final] = args;
  const destinations = args.slice(7).filter((destination) => destination !== '');
  if (!transactionId) throw new ProtocolError('invalid-argument', 'transaction id missing');
  if (destinations.length === 0)
    throw new ProtocolError('invalid-argument', 'proxy request has no destinations');
  // Call-ID, CSeq, From and To are the proxied request's own: srf's placeholder request has none.
  const headers = sip === undefined ? {} : headerMap(parseSipText(sip), DIALOG_OWNED);
  const provisionalTimeout = timeout(provisional);
  const finalTimeout = timeout(final);
  return {
    transactionId,
    destinations,
    forking: forking === 'simultaneous' ? 'simultaneous' : 'sequential',
    recordRoute: remainInDialog === 'remainInDialog',
    followRedirects: followRedirects === 'followRedirects',
    ...(provisionalTimeout !== undefined ? { provisionalTimeout } : {}),
    ...(finalTimeout !== undefined ? { finalTimeout } : {}),
    ...(Object.keys(headers).length > 0 ? { headers } : {}),
  };
}

/** `2s`, `1500ms` (the forms srf documents), or a bare number of ms; empty means none. */
function timeout(token: string | undefined): number | undefined {
  if (!token) return undefined;
  const match = /^(\d+)(ms|s)?$/.exec(token.trim());
  if (!match) throw new ProtocolError('invalid-argument', `invalid proxy timeout "${token}"`);
  const value = Number(match[1]);
  return match[2] === 's' ? value * 1000 : value;
}

/**
 * The outcome as srf's Request#proxy reads it: one `OK|<meta>|continue` frame per response,
 * then `OK|done`. srf keeps the status of the last response as `finalStatus` and calls the
 * operation connected when it is 200, so the branches that lost come first and the response
 * that went upstream last. The engine reports each branch's final status, not the messages:
 * each frame carries a status line only (see docs/protocol.md 15).
 */
export function proxyOutcome(msgId: string, notice: ProxyNotice, now: number): Buffer {
  const frames: Buffer[] = [];
  const { branches, winner } = notice;
  const order = branches.map((_, index) => index).filter((index) => index !== winner);
  for (const index of order) {
    const branch = branches[index]!;
    frames.push(continued(msgId, branch.uri, branch.status, branch.reason, branch.received, now));
  }
  const last = winner !== undefined ? branches[winner] : undefined;
  const lastStatus = last ? undefined : branches[order[order.length - 1] ?? -1]?.status;
  if (last) {
    frames.push(
      continued(msgId, last.uri, notice.finalStatus, notice.finalReason, last.received, now),
    );
  } else if (lastStatus !== notice.finalStatus) {
    // Answered here (a loop, or a status mapped from the branches'): that answer ends the list.
    frames.push(continued(msgId, '', notice.finalStatus, notice.finalReason, false, now));
  }
  frames.push(srfFrame(['response', msgId, 'OK', 'done']));
  return Buffer.concat(frames);
}

function continued(
  msgId: string,
  uri: string,
  status: number,
  reason: string,
  received: boolean,
  now: number,
): Buffer {
  const raw = `SIP/2.0 ${status} ${reason.replace(/[\r\n]/g, ' ')}\r\n\r\n`;
  const meta = metaTokens(received ? 'network' : 'application', raw, peerOf(uri), now);
  return srfFrame(['response', msgId, 'OK', ...meta, '', '', 'continue'], raw);
}

/** The branch's target as host and port (srf groups the responses by where they came from). */
function peerOf(uri: string): Endpoint {
  const match = /^sips?:(?:[^@;]*@)?(\[[^\]]+\]|[^:;>?]+)(?::(\d+))?/i.exec(uri);
  const transport = /;transport=(\w+)/i.exec(uri)?.[1]?.toLowerCase() ?? 'udp';
  return {
    transport: transport === 'tcp' ? 'tcp' : 'udp',
    address: match?.[1] ?? '',
    port: match?.[2] ? Number(match[2]) : 5060,
  };
}
