/**
 * The user-agent core without sockets: a SipTransport that records what is sent, and a
 * UserAgent wired as the Engine wires it, fed SIP text as if it came from 127.0.0.1:5099/udp.
 */
import type { DialogNotice } from 'drachtio-protocol';
import { parseMessage, SipResponse } from 'drachtio-sip';
import pino from 'pino';
import type { EngineCancel, EngineEvents, EngineRequest } from '../../src/engine-api';
import { TransactionTable } from '../../src/transaction/transaction-table';
import type { Destination, LocalAddress, SipTransport } from '../../src/transport/transport';
import { DEFAULT_MTU } from '../../src/transport/dns/outbound';
import { SipResolver } from '../../src/transport/dns/sip-resolver';
import type { UserAgentCore } from '../../src/user-agent/core';
import { DialogTable } from '../../src/user-agent/dialog/dialog-table';
import { UserAgent } from '../../src/user-agent/user-agent';

export const PEER = { address: '127.0.0.1', port: 5099, transport: 'udp' as const };

export class FakeTransport implements SipTransport {
  readonly sent: string[] = [];

  supports(): boolean {
    return true;
  }

  reaches(): boolean {
    return true;
  }

  viaFor(destination: Destination, branch: string): string {
    return `SIP/2.0/${destination.transport.toUpperCase()} 127.0.0.1:5060;rport;branch=${branch}`;
  }

  contactFor(): string {
    return 'Contact: <sip:127.0.0.1:5060>';
  }

  localFor(peer: Destination): LocalAddress {
    return { host: '127.0.0.1', port: 5060, transport: peer.transport };
  }

  send(data: Buffer): void {
    this.sent.push(data.toString());
  }

  /** The messages sent whose first line matches. */
  matching(startLine: RegExp): string[] {
    return this.sent.filter((text) => startLine.test(text.slice(0, text.indexOf('\r\n'))));
  }
}

export function fakeUserAgent(minSE = 90) {
  const transport = new FakeTransport();
  const requests: EngineRequest[] = [];
  const cancels: EngineCancel[] = [];
  const dialogs: DialogNotice[] = [];
  const ended: string[] = [];
  const listeners: Partial<EngineEvents> = {
    request: (request) => requests.push(request),
    cancel: (cancel) => cancels.push(cancel),
    dialog: (notice) => dialogs.push(notice),
    'transaction-end': (id) => ended.push(id),
  };
  const core: UserAgentCore = {
    transport,
    outbound: {
      resolver: new SipResolver({}, () => true),
      proxy: undefined,
      mtu: DEFAULT_MTU,
    },
    timers: { t1: 20, t2: 160, t4: 200, timerC: 5000 },
    logger: pino({ level: 'silent' }),
    dialogs: new DialogTable((notice) => listeners.dialog?.(notice)),
    transactions: new TransactionTable({ resend: (response) => transport.send(response) }),
    limits: { maxTransactions: 1000, maxDialogs: 1000, minSE },
    running: () => true,
    emit: (event, ...args) =>
      (listeners[event] as ((...a: unknown[]) => void) | undefined)?.(...args),
  };
  const ua = new UserAgent(core);
  /** Feeds SIP text (LF or CRLF) to the UA as the network would. */
  const receive = (text: string): void => {
    const data = Buffer.from(text.replace(/\r?\n/g, '\r\n'));
    const message = parseMessage(data);
    const inbound = { data, source: PEER, receivedAt: Date.now() };
    if (message instanceof SipResponse) ua.client.receiveResponse(message, inbound);
    else ua.server.receiveRequest(message, inbound);
  };
  return { ua, core, transport, requests, cancels, dialogs, ended, receive };
}

/** A response to `request` (as sent) from the peer: Via, From, Call-ID, CSeq copied, a To tag added. */
export function answer(request: string, status: string, extra: string[] = []): string {
  const copied = request.split('\r\n').filter((line) => /^(Via|From|Call-ID|CSeq):/i.test(line));
  const to = /^To: (.*)$/m.exec(request)?.[1]?.trim() ?? '';
  const tag = to.includes(';tag=') ? '' : ';tag=peer';
  return fromPeer([`SIP/2.0 ${status}`, ...copied, `To: ${to}${tag}`], extra);
}

/** A request from the peer. */
export function incoming(
  method: string,
  extra: string[] = [],
  options: { branch?: string; cseq?: number; toTag?: string; callId?: string } = {},
): string {
  return fromPeer(
    [
      `${method} sip:engine@127.0.0.1:5060 SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:5099;rport;branch=${options.branch ?? `z9hG4bK${method}${Math.random().toString(36).slice(2)}`}`,
      'Max-Forwards: 70',
      'From: <sip:peer@127.0.0.1:5099>;tag=from-peer',
      `To: <sip:engine@127.0.0.1>${options.toTag ? `;tag=${options.toTag}` : ''}`,
      `Call-ID: ${options.callId ?? 'fake-call@127.0.0.1'}`,
      `CSeq: ${options.cseq ?? 1} ${method}`,
    ],
    extra,
  );
}

/** A bodiless message of the peer's: its lines, the peer's Contact, the caller's extra lines. */
function fromPeer(lines: string[], extra: string[]): string {
  return [
    ...lines,
    'Contact: <sip:peer@127.0.0.1:5099>',
    ...extra,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
}

export const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
