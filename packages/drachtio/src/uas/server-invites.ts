import type { Request } from './request';
import type { Response } from './response';

/** How long an answered INVITE waits for its ACK (64*T1, as RFC 3261 Timer H). */
const ACK_WAIT_MS = 32_000;
/** Longer than any INVITE server transaction can wait for an answer (Timer C is 3 minutes). */
const UNANSWERED_INVITE_MS = 5 * 60_000;

interface Entry {
  req: Request;
  timer: NodeJS.Timeout;
}

/**
 * The INVITEs this application is answering, by transaction id: the CANCEL, PRACK and ACK the
 * server delivers later name that transaction and find their INVITE here. An entry goes when
 * the INVITE is canceled, rejected, acknowledged, or after a bounded wait.
 */
export class ServerInvites {
  private readonly entries = new Map<string, Entry>();

  track(req: Request, res: Response): void {
    const forget = (): void => void this.entries.delete(req.transactionId);
    const entry: Entry = { req, timer: setTimeout(forget, UNANSWERED_INVITE_MS).unref() };
    this.entries.set(req.transactionId, entry);
    res.once('finish', () => {
      clearTimeout(entry.timer);
      if ((res.statusCode ?? 0) >= 300) return forget();
      entry.timer = setTimeout(forget, ACK_WAIT_MS).unref();
    });
  }

  /** The INVITE a PRACK refers to (it stays tracked). */
  find(transactionId: string | undefined): Request | undefined {
    return transactionId === undefined ? undefined : this.entries.get(transactionId)?.req;
  }

  /** The INVITE a CANCEL or ACK concludes (it is no longer tracked). */
  take(transactionId: string | undefined): Request | undefined {
    const entry = transactionId === undefined ? undefined : this.entries.get(transactionId);
    if (!entry) return undefined;
    clearTimeout(entry.timer);
    this.entries.delete(transactionId as string);
    return entry.req;
  }

  clear(): void {
    for (const { timer } of this.entries.values()) clearTimeout(timer);
    this.entries.clear();
  }
}
