import type { ResponseNotice, SendRequestData, SendRequestResult } from 'drachtio-protocol';
import { parseMessage, type SipResponse } from 'drachtio-sip';
import type { Application } from '../application';
import type { EarlyDialogs } from '../dialogs/early-dialogs';
import { NotConnectedError } from '../errors';
import { debugEnabled, type Logger } from '../logger';
import type { Agent } from '../wire/agent';
import type { ClientRequest } from './client-request';
import { IncomingResponse } from './incoming-response';

/**
 * The requests this application sent, by client transaction id, until their final response:
 * the server's response notices name the transaction, and find their request here.
 */
export class ClientTransactions {
  private readonly pending = new Map<string, ClientRequest>();

  constructor(
    private readonly app: Application,
    private readonly agent: Agent,
    private readonly earlyDialogs: EarlyDialogs,
    private readonly logger: Logger,
    /** Hands a response to its request (through the app's 'response' middleware). */
    private readonly deliver: (req: ClientRequest, res: IncomingResponse) => void,
  ) {}

  /** Sends, and registers the transaction for its responses. */
  async send(req: ClientRequest, data: SendRequestData): Promise<SendRequestResult> {
    const result = await this.agent.command('request', data);
    this.pending.set(result.transactionId, req);
    return result;
  }

  onResponse(notice: ResponseNotice, sip: string): void {
    const req = this.pending.get(notice.transactionId);
    if (!req) return;
    let msg: SipResponse;
    try {
      msg = parseMessage(sip) as SipResponse;
    } catch (error) {
      // The server parsed it first, so this is a bug somewhere; the request must not wait forever.
      this.pending.delete(notice.transactionId);
      req.abandon(error as Error);
      return;
    }
    const res = new IncomingResponse(this.app, req, notice, msg, sip);
    if (debugEnabled(this.logger)) {
      const { transactionId, dialogId } = notice;
      this.logger.debug(
        { method: req.method, status: res.status, transactionId, dialogId },
        'response',
      );
    }
    if (res.status >= 200) this.pending.delete(notice.transactionId);
    else if (res.dialogId !== undefined && res.has('rseq')) {
      this.earlyDialogs.began({
        role: 'uac',
        dialogId: res.dialogId,
        callId: req.callId ?? '',
        req,
        res,
      });
    }
    this.deliver(req, res);
  }

  /** Responses for requests sent on a lost connection will not reach us: those requests fail. */
  abandonAll(): void {
    const pending = [...this.pending.values()];
    this.pending.clear();
    const error = new NotConnectedError(
      'the connection to drachtio-server-ts was lost before the final response arrived',
    );
    for (const req of pending) req.abandon(error);
  }
}
