import { EventEmitter } from 'node:events';
import type {
  AckData,
  CancelData,
  ProxyData,
  ProxyNotice,
  RespondData,
  RespondResult,
  SendRequestData,
  SendRequestResult,
} from 'drachtio-protocol';
import type { EngineRequest, EngineResponse, SipEngine } from '../../src/engine-api';

/**
 * A stand-in for the SIP engine in pure unit tests of the control plane: it records what the
 * control plane asks of it and lets the test play the network (emit requests, responses...).
 */
export class FakeEngine extends EventEmitter implements SipEngine {
  readonly contacts = ['sip:127.0.0.1:5070;transport=udp', 'sip:127.0.0.1:5070;transport=tcp'];
  readonly responded: RespondData[] = [];
  readonly sent: SendRequestData[] = [];
  readonly acked: AckData[] = [];
  readonly canceled: CancelData[] = [];
  private dialogCounter = 0;
  private transactionCounter = 0;
  private readonly responseListeners = new Map<string, (response: EngineResponse) => void>();
  private readonly requests = new Map<string, { method: string; callId: string }>();

  override on(event: string, listener: (...args: never[]) => void): this {
    return super.on(event, listener);
  }

  override off(event: string, listener: (...args: never[]) => void): this {
    return super.off(event, listener);
  }

  /** The network delivers a request; returns its transactionId. */
  receive(method: string, extra: Partial<EngineRequest> = {}): string {
    const transactionId = extra.transactionId ?? `st${++this.transactionCounter}`;
    const callId = extra.callId ?? `call-${transactionId}`;
    this.requests.set(transactionId, { method, callId });
    this.emit('request', {
      transactionId,
      method,
      callId,
      raw: `${method} sip:service@127.0.0.1 SIP/2.0\r\nCall-ID: ${callId}\r\nContent-Length: 0\r\n\r\n`,
      source: { address: '127.0.0.1', port: 5099, transport: 'udp' },
      receivedAt: 1,
      ...extra,
    } satisfies EngineRequest);
    return transactionId;
  }

  /** The far end answers a request an application sent. */
  answer(transactionId: string, status: number, dialogId?: string): void {
    this.responseListeners.get(transactionId)?.({
      transactionId,
      status,
      dialogId,
      raw: `SIP/2.0 ${status} Whatever\r\nCall-ID: out-${transactionId}\r\nContent-Length: 0\r\n\r\n`,
      source: { address: '127.0.0.1', port: 5099, transport: 'udp' },
      receivedAt: 2,
    });
  }

  async respond(data: RespondData): Promise<RespondResult> {
    this.responded.push(data);
    const request = this.requests.get(data.transactionId);
    const dialogId =
      request?.method === 'INVITE' && data.status >= 200 && data.status < 300
        ? `d${++this.dialogCounter}`
        : undefined;
    // Like a real engine, the dialog notice comes before respond() resolves.
    if (dialogId)
      this.emit('dialog', { dialogId, event: 'confirmed', role: 'uas', callId: request?.callId });
    return { dialogId, raw: `SIP/2.0 ${data.status} OK\r\n\r\n` };
  }

  async request(
    data: SendRequestData,
    onResponse: (response: EngineResponse) => void,
  ): Promise<SendRequestResult> {
    this.sent.push(data);
    const transactionId = `ct${++this.transactionCounter}`;
    this.responseListeners.set(transactionId, onResponse);
    if (data.method === 'OPTIONS' && data.uri === 'sip:instant@127.0.0.1')
      this.answer(transactionId, 200);
    return {
      transactionId,
      callId: `out-${transactionId}`,
      raw: `${data.method} ${data.uri} SIP/2.0\r\nCall-ID: out-${transactionId}\r\n\r\n`,
    };
  }

  async ack(data: AckData): Promise<{ raw: string }> {
    this.acked.push(data);
    return { raw: 'ACK' };
  }

  async cancel(data: CancelData): Promise<{ raw: string }> {
    this.canceled.push(data);
    return { raw: 'CANCEL' };
  }

  /** Proxies nothing: the outcome is a 408 with no branch, at once. */
  readonly proxied: ProxyData[] = [];
  async proxy(data: ProxyData, onOutcome: (notice: ProxyNotice) => void): Promise<void> {
    this.proxied.push(data);
    onOutcome({
      transactionId: data.transactionId,
      finalStatus: 408,
      finalReason: 'Request Timeout',
      branches: [],
    });
  }

  async start(): Promise<void> {}
  async stop(): Promise<void> {}
}
