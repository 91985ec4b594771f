/**
 * The small rules every usage applies to what an application hands in: its headers as lines
 * (protected ones dropped, bad ones refused), a Content-Type for SDP, and which methods carry
 * our Contact and refresh the remote target.
 */
import type { HeaderMap } from 'drachtio-protocol';
import type { SipMessage } from 'drachtio-sip';
import type { Logger } from 'pino';
import { EngineError } from '../engine-api';
import { HeaderError, headerList, type HeaderList } from './headers/header-list';
import { typedHeader } from './headers/typed-header';

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
export function contactUri(message: SipMessage): string | undefined {
  const contacts = typedHeader(message, 'contact');
  return Array.isArray(contacts) ? contacts[0]?.uri : undefined;
}
