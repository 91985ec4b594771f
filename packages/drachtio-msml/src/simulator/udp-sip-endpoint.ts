/**
 * The simulator's SIP over UDP: just enough of RFC 3261's transaction layer for a UAS that
 * also sends in-dialog requests. Retransmitted requests get the cached response instead of
 * running twice; a 2xx to INVITE is resent until its ACK (Timer G/H); requests we send are
 * resent until answered (Timer E/F).
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import { canonicalHeaderName, parseMessage, SipRequest, SipResponse } from 'drachtio-sip';

export interface Peer {
  address: string;
  port: number;
}

const T1 = 500;
const T2 = 4000;
/** 64*T1: how long a transaction is remembered / retried. */
const TRANSACTION_LIFETIME = 64 * T1;
/** Bound on remembered transactions, so a flood cannot grow memory without limit. */
const MAX_TRANSACTIONS = 10_000;

interface ServerTransaction {
  response: string;
  peer: Peer;
  expiry: NodeJS.Timeout;
  /** For a 2xx to INVITE: the retransmission timer, stopped by the ACK. */
  retransmit?: NodeJS.Timeout;
}

interface ClientTransaction {
  resolve: (res: SipResponse) => void;
  reject: (error: Error) => void;
  retransmit: NodeJS.Timeout;
  timeout: NodeJS.Timeout;
}

export interface EndpointEvents {
  /** A new request (retransmissions are absorbed); ACKs included. */
  request: [req: SipRequest, peer: Peer];
  /** Every SIP message in and out, as text (for logs). */
  sip: [direction: 'received' | 'sent', text: string, peer: Peer];
  /** Something went wrong that has no caller to report to (unparseable datagram, send error). */
  warning: [error: Error];
}

export class UdpSipEndpoint extends EventEmitter<EndpointEvents> {
  private socket?: Socket;
  private readonly served = new Map<string, ServerTransaction>();
  private readonly pending = new Map<string, ClientTransaction>();

  async listen(port: number, address: string): Promise<Peer> {
    const socket = createSocket(address.includes(':') ? 'udp6' : 'udp4');
    socket.on('message', (data, rinfo) => this.onDatagram(data, rinfo));
    socket.on('error', (error) => this.emit('warning', error));
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(port, address, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    this.socket = socket;
    const bound = socket.address();
    return { address: bound.address, port: bound.port };
  }

  async close(): Promise<void> {
    for (const t of this.served.values()) clearTransaction(t);
    this.served.clear();
    for (const t of this.pending.values()) {
      clearTimeout(t.retransmit);
      clearTimeout(t.timeout);
      t.reject(new Error('the endpoint closed'));
    }
    this.pending.clear();
    const socket = this.socket;
    this.socket = undefined;
    if (socket) await new Promise<void>((resolve) => socket.close(() => resolve()));
  }

  /** Answer a request; the response is remembered for its retransmissions. */
  reply(
    req: SipRequest,
    peer: Peer,
    status: number,
    reason: string,
    extra: { headers?: Record<string, string>; body?: string } = {},
  ): void {
    const headers: [string, string][] = [];
    for (const name of ['via', 'from', 'to', 'call-id', 'cseq']) {
      for (const value of req.getHeaders(name)) headers.push([name, value]);
    }
    for (const [name, value] of Object.entries(extra.headers ?? {})) {
      if (name === 'to')
        headers.splice(
          headers.findIndex(([n]) => n === 'to'),
          1,
          ['to', value],
        );
      else headers.push([name, value]);
    }
    const response = new SipResponse(status, reason, {
      headers: canonical(headers),
      body: extra.body ?? '',
    }).toString();
    const key = transactionKey(req);
    const existing = this.served.get(key);
    if (existing) clearTransaction(existing);
    const transaction: ServerTransaction = {
      response,
      peer,
      expiry: setTimeout(() => this.forget(key), TRANSACTION_LIFETIME),
    };
    if (req.method === 'INVITE' && status >= 200 && status < 300)
      this.resendUntilAck(transaction, T1);
    if (this.served.size >= MAX_TRANSACTIONS)
      this.forget(this.served.keys().next().value as string);
    this.served.set(key, transaction);
    this.send(response, peer);
  }

  /** Send a request and resolve with its final response (provisional ones are skipped). */
  request(
    method: string,
    uri: string,
    peer: Peer,
    headers: Record<string, string>,
    body = '',
  ): Promise<SipResponse> {
    const branch = `z9hG4bK-${randomBytes(8).toString('hex')}`;
    const local = this.socket?.address();
    const via = `SIP/2.0/UDP ${local?.address}:${local?.port};branch=${branch};rport`;
    const text = new SipRequest(method, uri, {
      headers: canonical([['via', via], ...Object.entries(headers)]),
      body,
    }).toString();
    return new Promise((resolve, reject) => {
      let interval = T1;
      const resend = (): NodeJS.Timeout =>
        setTimeout(() => {
          this.send(text, peer);
          interval = Math.min(interval * 2, T2);
          entry.retransmit = resend();
        }, interval);
      const entry: ClientTransaction = {
        resolve,
        reject,
        retransmit: resend(),
        timeout: setTimeout(() => {
          clearTimeout(entry.retransmit);
          this.pending.delete(branch);
          reject(new Error(`${method} to ${peer.address}:${peer.port} timed out`));
        }, TRANSACTION_LIFETIME),
      };
      this.pending.set(branch, entry);
      this.send(text, peer);
    });
  }

  private onDatagram(data: Buffer, rinfo: RemoteInfo): void {
    const peer = { address: rinfo.address, port: rinfo.port };
    this.emit('sip', 'received', data.toString('utf8'), peer);
    let message: SipRequest | SipResponse;
    try {
      message = parseMessage(data);
    } catch (error) {
      this.emit(
        'warning',
        new Error(
          `unparseable datagram from ${peer.address}:${peer.port}: ${(error as Error).message}`,
        ),
      );
      return;
    }
    if (message instanceof SipResponse) return this.onResponse(message);
    this.onRequest(message, peer);
  }

  private onRequest(req: SipRequest, peer: Peer): void {
    if (req.method === 'ACK') {
      // The ACK to a 2xx is its own transaction (new branch): stop the 2xx of any INVITE of the dialog.
      for (const [key, t] of this.served) {
        if (t.retransmit && key.startsWith(`${req.getHeader('call-id')}|`)) {
          clearTimeout(t.retransmit);
          t.retransmit = undefined;
        }
      }
      this.emit('request', req, peer);
      return;
    }
    const cached = this.served.get(transactionKey(req));
    if (cached) return this.send(cached.response, cached.peer);
    this.emit('request', req, peer);
  }

  private onResponse(res: SipResponse): void {
    const branch = res.get('via')?.[0]?.branch;
    const entry = branch === undefined ? undefined : this.pending.get(branch);
    if (!entry || res.status < 200 || branch === undefined) return;
    clearTimeout(entry.retransmit);
    clearTimeout(entry.timeout);
    this.pending.delete(branch);
    entry.resolve(res);
  }

  private resendUntilAck(transaction: ServerTransaction, interval: number): void {
    transaction.retransmit = setTimeout(() => {
      this.send(transaction.response, transaction.peer);
      this.resendUntilAck(transaction, Math.min(interval * 2, T2));
    }, interval);
  }

  private forget(key: string): void {
    const t = this.served.get(key);
    if (t) clearTransaction(t);
    this.served.delete(key);
  }

  private send(text: string, peer: Peer): void {
    this.emit('sip', 'sent', text, peer);
    this.socket?.send(text, peer.port, peer.address, (error) => {
      if (error) this.emit('warning', error);
    });
  }
}

/** call-id|branch|method: the method keeps a CANCEL apart from its INVITE. */
function transactionKey(req: SipRequest): string {
  return `${req.getHeader('call-id')}|${req.get('via')?.[0]?.branch}|${req.method}`;
}

/** Header names as RFC 3261 writes them: some peers (sipp's regexps) look for "To:", not "to:". */
function canonical(headers: [string, string][]): [string, string][] {
  return headers.map(([name, value]) => [canonicalHeaderName(name), value]);
}

function clearTransaction(t: ServerTransaction): void {
  clearTimeout(t.expiry);
  clearTimeout(t.retransmit);
}
