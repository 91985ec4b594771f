/**
 * Builds a SipDialog from the messages that created it. The same picture from both sides:
 * as UAS our end is the INVITE's To and the far end its From; as UAC the other way round.
 */
import { parseNameAddr } from 'drachtio-sip';
import { calledParty, callingParty, type HeaderSource } from './parties';
import { SipDialog, type DialogEndpoint, type DialogState } from './sip-dialog';

/** A parsed SIP message as drachtio-sip gives it. */
export interface MessageView extends HeaderSource {
  body: string;
}

export interface UasDialogSource {
  dialogId: string;
  state: Exclude<DialogState, 'terminated'>;
  /** The dialog-creating INVITE we received. */
  invite: MessageView;
  /** The response that created the dialog (a reliable 1xx or the 2xx), as sent. */
  response: MessageView;
  receivedAt: Date;
  at: Date;
}

export interface UacDialogSource {
  dialogId: string;
  state: Exclude<DialogState, 'terminated'>;
  /** The INVITE we sent. */
  invite: MessageView;
  /** The response that created the dialog (a reliable 1xx or the 2xx). */
  response: MessageView;
  sentAt: Date;
  at: Date;
}

export function uasDialog(source: UasDialogSource): SipDialog {
  const { invite, response } = source;
  return sipDialog('uas', source, source.receivedAt, {
    local: endpoint(invite, 'to', response, response),
    remote: endpoint(invite, 'from', invite, invite),
  });
}

export function uacDialog(source: UacDialogSource): SipDialog {
  const { invite, response } = source;
  return sipDialog('uac', source, source.sentAt, {
    local: endpoint(invite, 'from', invite, invite),
    remote: endpoint(invite, 'to', response, response),
  });
}

/** What both roles share: the INVITE names the call's parties whichever end is ours. */
function sipDialog(
  role: 'uas' | 'uac',
  source: UasDialogSource | UacDialogSource,
  start: Date,
  ends: { local: DialogEndpoint; remote: DialogEndpoint },
): SipDialog {
  const { invite } = source;
  return new SipDialog({
    id: source.dialogId,
    role,
    state: source.state,
    callId: required(invite, 'call-id'),
    ...ends,
    callingParty: callingParty(invite),
    calledParty: calledParty(invite),
    times: { start, ...(source.state === 'confirmed' && { connect: source.at }) },
  });
}

/** The Contact URI and SDP of a message that reached us or that we sent (the far end's or ours). */
export function targetOf(msg: MessageView): Pick<DialogEndpoint, 'contact' | 'sdp'> {
  const contact = msg.getHeader('contact');
  return {
    ...(contact !== undefined && { contact: safeUri(contact) }),
    ...(isSdp(msg) && { sdp: msg.body }),
  };
}

/**
 * One end: its address of record from `header` of `addressMsg`, its tag from the same header
 * of `tagMsg` (the To tag exists only once the response is made), its Contact and SDP from
 * `targetMsg`.
 */
function endpoint(
  addressMsg: MessageView,
  header: 'from' | 'to',
  tagMsg: MessageView,
  targetMsg: MessageView,
): DialogEndpoint {
  const { uri } = parseNameAddr(required(addressMsg, header));
  const { tag } = parseNameAddr(required(tagMsg, header));
  return { uri, ...(tag !== undefined && { tag }), ...targetOf(targetMsg) };
}

function safeUri(contact: string): string {
  try {
    return parseNameAddr(contact).uri;
  } catch {
    return contact;
  }
}

function isSdp(msg: MessageView): boolean {
  if (!msg.body) return false;
  const type = msg.getHeader('content-type');
  return type === undefined || /^application\/sdp\b/i.test(type.trim());
}

function required(msg: MessageView, header: string): string {
  const value = msg.getHeader(header);
  if (value === undefined) throw new TypeError(`the message has no ${header} header`);
  return value;
}
