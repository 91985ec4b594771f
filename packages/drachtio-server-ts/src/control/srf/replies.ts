import { randomUUID } from 'node:crypto';
import type {
  AuthenticateResult,
  ErrorCode,
  RespondResult,
  SendRequestResult,
} from 'drachtio-protocol';
import { SRF_SERVER_VERSION } from './version';
import { metaTokens } from './meta';
import { destinationOf, rawHeader, statusOf } from './raw-headers';
import type { SrfState } from './srf-state';
import { srfFrame } from './srf-frame';
import type { SipCommand } from './sip-command';

/** What an srf message id was for, so its reply gets the C++ server's shape. */
export type PendingReply =
  | { kind: 'authenticate' }
  | { kind: 'route' }
  | { kind: 'sip'; command: SipCommand }
  | { kind: 'proxy'; transactionId: string };

/**
 * `response|<msgId>|OK|...` for a command that worked. A SIP-sending command's reply carries the
 * message as sent: `OK|application|<bytes>|<transport>|<address>|<port>|<time>|<transactionId>|`
 * then, for a response, the dialog id; then `|Msg sent:|` and the message after a CRLF.
 */
export function encodeSuccess(
  msgId: string,
  pending: PendingReply,
  data: object,
  raw: string | undefined,
  state: SrfState,
): Buffer {
  if (pending.kind === 'route') return srfFrame(['response', msgId, 'OK']);
  if (pending.kind === 'authenticate') {
    const result = data as AuthenticateResult;
    state.setContacts(result.contacts);
    const hostports = [...state.hostports]
      .map(([transport, hostport]) => `${transport}/${hostport}`)
      .join(',');
    return srfFrame(['response', msgId, 'OK', hostports, SRF_SERVER_VERSION]);
  }
  // The connection holds a proxy's reply back until its outcome (proxyOutcome).
  if (pending.kind === 'proxy') return srfFrame(['response', msgId, 'OK', 'done']);
  return sentMessage(msgId, pending.command, data, raw ?? '', state);
}

function sentMessage(
  msgId: string,
  sip: SipCommand,
  data: object,
  sent: string,
  state: SrfState,
): Buffer {
  if (sip.command === 'respond') {
    const { transactionId, status } = sip.data;
    const dialogId = (data as Omit<RespondResult, 'raw'>).dialogId;
    const srfId = dialogId ? state.ids.srfId(dialogId, 'uas') : '';
    const peer = state.sourceOf(transactionId, status >= 200) ?? destinationOf(sent);
    if (srfId && status >= 200 && status < 300 && statusOf(sent).method === 'INVITE') {
      state.confirmed(srfId, {
        callId: rawHeader(sent, 'call-id', 'i') ?? '',
        local: rawHeader(sent, 'to', 't') ?? '',
        remote: rawHeader(sent, 'from', 'f') ?? '',
        peer,
      });
    }
    const tokens = ['response', msgId, 'OK', ...metaTokens('application', sent, peer, Date.now())];
    return srfFrame([...tokens, transactionId, srfId, '', 'Msg sent:', ''], sent);
  }
  // ACK and CANCEL get a transaction id of their own, as the C++ server gives them.
  let transactionId: string = randomUUID();
  if (sip.command === 'request') {
    transactionId = (data as Omit<SendRequestResult, 'raw'>).transactionId;
    if (sip.data.method === 'INVITE') state.inviteSent(transactionId);
  }
  const tokens = [
    'response',
    msgId,
    'OK',
    ...metaTokens('application', sent, destinationOf(sent), Date.now()),
  ];
  return srfFrame([...tokens, transactionId, 'Msg sent:', ''], sent);
}

/**
 * A refused command: `NO|<reason>` for authenticate and route, `NOK|<reason>` for SIP, with the
 * C++ server's texts where srf (or applications) look for them: srf maps "unable to find
 * dialog" to ENODIALOG.
 */
export function encodeFailure(
  msgId: string,
  pending: PendingReply,
  code: ErrorCode,
  message: string,
): Buffer {
  if (pending.kind === 'authenticate') {
    return srfFrame([
      'response',
      msgId,
      'NO',
      code === 'auth-failed' ? 'incorrect secret' : message,
    ]);
  }
  if (pending.kind === 'route') return srfFrame(['response', msgId, 'NO', message]);
  if (pending.kind === 'proxy') return srfFrame(['response', msgId, 'NOK', oneToken(message)]);
  return srfFrame(['response', msgId, 'NOK', nokText(pending.command, code, message)]);
}

function nokText(command: SipCommand, code: ErrorCode, message: string): string {
  if (command.command === 'respond' && code === 'unknown-transaction')
    return 'Response not sent due to unknown transaction';
  if (command.command === 'cancel' && code === 'unknown-transaction')
    return `unable to cancel unknown transaction id: ${command.data.transactionId}`;
  if (code === 'unknown-dialog')
    return 'Server error: unable to find dialog for dialog id provided';
  return oneToken(message);
}

/** A `|` would end the reason token early. */
function oneToken(message: string): string {
  return message.replace(/[|\r\n]/g, ' ');
}
