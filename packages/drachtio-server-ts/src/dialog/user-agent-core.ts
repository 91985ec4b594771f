/**
 * What the two halves of the UA core (user-agent-server.ts, user-agent-client.ts) share: the
 * transports, timer settings, limits, the dialog table and the engine's event channel. Also the
 * small message rules both apply to what an application hands in.
 */
import type { HeaderMap } from 'drachtio-protocol';
import { parseNameAddr, splitList, type SipRequest, type SipResponse } from 'drachtio-sip';
import type { Logger } from 'pino';
import { EngineError, type EngineEvents } from '../engine-api';
import type { TimerSettings } from '../transaction/timer-settings';
import type { TransportLayer } from '../transport/transport-layer';
import type { DialogTable } from './dialog-table';
import { HeaderError, headerList, type HeaderList } from './header-list';

export interface UserAgentCore {
  readonly transport: TransportLayer;
  readonly timers: TimerSettings;
  readonly logger: Logger;
  readonly dialogs: DialogTable;
  readonly limits: { maxTransactions: number; maxDialogs: number; minSE: number };
  /** False once stop() began: new requests are refused. */
  running(): boolean;
  emit<E extends keyof EngineEvents>(event: E, ...args: Parameters<EngineEvents[E]>): void;
}

/** Methods that refresh the remote target and carry our Contact (RFC 3261 12.2, 6665, 3515, 3311). */
export const TARGET_REFRESH_METHODS: ReadonlySet<string> = new Set([
  'INVITE',
  'UPDATE',
  'SUBSCRIBE',
  'NOTIFY',
  'REFER',
]);

/** The application's headers as lines; protected ones dropped with a warning, bad ones refused. */
export function applicationHeaders(
  logger: Logger,
  headers: HeaderMap | undefined,
  context: 'new-request' | 'dialog',
): HeaderList {
  let list: HeaderList;
  try {
    list = headerList(headers, context);
  } catch (error) {
    if (error instanceof HeaderError) throw new EngineError('invalid-argument', error.message);
    throw error;
  }
  if (list.dropped.length > 0)
    logger.warn({ headers: list.dropped }, 'protected headers set by the application were dropped');
  return list;
}

/** An SDP body without a Content-Type gets application/sdp (the common case for INVITE). */
export function addContentType(headers: HeaderList, body: string | undefined): void {
  if (body && !headers.values.has('content-type') && body.startsWith('v=0')) {
    headers.lines.push('Content-Type: application/sdp');
    headers.values.set('content-type', 'application/sdp');
  }
}

/** The URI of the first Contact, the remote target of a dialog. */
export function contactUri(message: SipRequest | SipResponse): string | undefined {
  const contact = message.getHeaders('contact')[0];
  if (!contact) return undefined;
  try {
    return parseNameAddr(splitList(contact)[0] ?? contact, 'contact').uri;
  } catch {
    return undefined;
  }
}
