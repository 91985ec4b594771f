import type { NotifyMap, OutgoingMessage, SendRequestResult } from 'drachtio-protocol';
import { timeOfDay, type MessageSource } from './meta';
import type { PendingReply } from './replies';
import { statusOf } from './raw-headers';
import { srfFrame } from './srf-frame';

/** Transactions of calls being set up that a CDR may still be written for, per connection. */
const MAX_TRACKED = 10_000;

/** The C++ server's record types, its `Cdr::getRecordType()` strings; srf subscribes to these. */
export const CDR_TYPES = ['cdr:attempt', 'cdr:start', 'cdr:stop'] as const;
export type CdrType = (typeof CDR_TYPES)[number];

/**
 * One call detail record as the C++ server writes it (cdr.cpp): the type, who produced the
 * message, when, then the agent role (start) or the termination reason (stop), and the SIP
 * message the record is about.
 */
export interface CdrRecord {
  type: CdrType;
  source: MessageSource;
  time: number;
  /** start: uac | uas; stop: call-rejected | call-canceled | normal-release. */
  detail?: string;
  raw: string;
}

/** `<msgId>|cdr:<type>|<source>|<time>[|<role or reason>]` CRLF, then the SIP message. */
export function cdrFrame(record: CdrRecord): Buffer {
  const tokens: string[] = [record.type, record.source, timeOfDay(record.time)];
  if (record.detail !== undefined) tokens.push(record.detail);
  return srfFrame(tokens, record.raw);
}

/**
 * Reads the call records out of one srf connection's traffic, where the C++ server writes them
 * (sip-dialog-controller.cpp): an initial INVITE received or sent is an attempt; its 200 is a
 * start (by the app as UAS, from the network as UAC); a failure or CANCEL, or a BYE either way,
 * is a stop. Re-INVITEs write nothing.
 */
export class CdrObserver {
  /** Initial INVITEs awaiting a final response: received (we are UAS) or sent (UAC). */
  private readonly received = new Set<string>();
  private readonly sent = new Set<string>();

  /** The records a message to srf stands for; `pending` is what a reply answers. */
  observe(message: OutgoingMessage, raw: string, pending: PendingReply | undefined): CdrRecord[] {
    const { envelope } = message;
    if (envelope.type === 'notify') return this.notice(envelope.command, envelope.data, raw);
    if (envelope.type !== 'response' || !envelope.ok || pending?.kind !== 'sip') return [];
    const command = pending.command;
    const now = Date.now();
    if (command.command === 'respond') {
      const { transactionId, status } = command.data;
      if (status < 200 || !this.received.delete(transactionId)) return [];
      if (status === 200)
        return [{ type: 'cdr:start', source: 'application', time: now, detail: 'uas', raw }];
      if (status >= 300) return [stop('application', now, 'call-rejected', raw)];
      return [];
    }
    if (command.command !== 'request') return [];
    const { method, dialogId } = command.data;
    if (method === 'INVITE' && !dialogId) {
      track(this.sent, (envelope.data as Omit<SendRequestResult, 'raw'>).transactionId);
      return [{ type: 'cdr:attempt', source: 'application', time: now, raw }];
    }
    return method === 'BYE' && dialogId ? [stop('application', now, 'normal-release', raw)] : [];
  }

  private notice(command: string, data: object, raw: string): CdrRecord[] {
    if (command === 'request') {
      const request = data as NotifyMap['request'];
      const method = /^(\S+)/.exec(raw)?.[1] ?? '';
      if (method === 'INVITE' && !request.dialogId) {
        track(this.received, request.transactionId);
        return [{ type: 'cdr:attempt', source: 'network', time: request.receivedAt, raw }];
      }
      if (method === 'BYE' && request.dialogId)
        return [stop('network', request.receivedAt, 'normal-release', raw)];
      return [];
    }
    if (command === 'cancel') {
      const cancel = data as NotifyMap['cancel'];
      if (!this.received.delete(cancel.transactionId)) return [];
      return [stop('network', Date.now(), 'call-canceled', raw)];
    }
    if (command !== 'response') return [];
    const response = data as NotifyMap['response'];
    const { status } = statusOf(raw);
    if (status < 200 || !this.sent.delete(response.transactionId)) return [];
    const time = response.receivedAt;
    if (status === 200) return [{ type: 'cdr:start', source: 'network', time, detail: 'uac', raw }];
    if (status >= 300)
      return [stop('network', time, status === 487 ? 'call-canceled' : 'call-rejected', raw)];
    return [];
  }
}

function stop(source: MessageSource, time: number, reason: string, raw: string): CdrRecord {
  return { type: 'cdr:stop', source, time, detail: reason, raw };
}

function track(set: Set<string>, transactionId: string): void {
  if (set.size >= MAX_TRACKED) set.delete(set.values().next().value as string);
  set.add(transactionId);
}
