import type { DialogNotice, NotifyMap } from 'drachtio-protocol';
import { metaTokens } from './meta';
import { rawHeader, srfIdOf, statusOf } from './raw-headers';
import type { SrfState } from './srf-state';
import { srfFrame } from './srf-frame';
import { unsolicitedBye } from './unsolicited-bye';

/**
 * The engine's notifications as the C++ server's `sip` frames:
 * `sip|<source>|<bytes>|<transport>|<address>|<port>|<time>|<transactionId>|<dialogId>|<receivedOn address>|<port>`
 * followed by the raw message. Dialog state changes have no frame of their own in srf's
 * protocol; only a dialog the server ends by itself is announced, as a BYE (see unsolicited-bye).
 */
export function encodeNotice(
  command: string,
  data: object,
  sip: string | undefined,
  state: SrfState,
): Buffer | undefined {
  switch (command) {
    case 'request':
      return request(data as NotifyMap['request'], sip ?? '', state);
    case 'response':
      return response(data as NotifyMap['response'], sip ?? '', state);
    case 'cancel':
      return cancel(data as NotifyMap['cancel'], sip ?? '', state);
    case 'dialog':
      return dialog(data as DialogNotice, state);
    default:
      return undefined;
  }
}

function request(data: NotifyMap['request'], raw: string, state: SrfState): Buffer {
  const srfId = data.dialogId ? state.ids.srfId(data.dialogId, 'uas') : '';
  const method = /^(\S+)/.exec(raw)?.[1] ?? '';
  if (method !== 'ACK' && !data.answered) state.requestFrom(data.transactionId, data.source);
  const receivedOn = state.hostport(data.source.transport)?.split(/:(?=\d+$)/) ?? [''];
  return srfFrame(
    [
      'sip',
      ...metaTokens('network', raw, data.source, data.receivedAt),
      data.transactionId,
      srfId,
      ...receivedOn,
    ],
    raw,
  );
}

function response(data: NotifyMap['response'], raw: string, state: SrfState): Buffer {
  const { status, method } = statusOf(raw);
  let srfId = '';
  if (data.dialogId) {
    srfId = state.ids.srfId(data.dialogId, 'uac');
    state.ids.speaksFor(data.dialogId);
  } else if (method === 'INVITE' || method === 'SUBSCRIBE') {
    // The C++ server names the dialog an INVITE tries to set up on every response to it.
    srfId = srfIdOf(raw);
  }
  if (status >= 200 && state.inviteAnswered(data.transactionId, srfId, status) && status < 300) {
    state.confirmed(srfId, {
      callId: rawHeader(raw, 'call-id', 'i') ?? '',
      local: rawHeader(raw, 'from', 'f') ?? '',
      remote: rawHeader(raw, 'to', 't') ?? '',
      peer: data.source,
    });
  }
  return srfFrame(
    [
      'sip',
      ...metaTokens('network', raw, data.source, data.receivedAt),
      data.transactionId,
      srfId,
      '',
    ],
    raw,
  );
}

function cancel(data: NotifyMap['cancel'], raw: string, state: SrfState): Buffer {
  state.sourceOf(data.transactionId, true);
  return srfFrame(
    [
      'sip',
      ...metaTokens('network', raw, data.source, Date.now()),
      data.transactionId,
      srfIdOf(raw),
      '',
    ],
    raw,
  );
}

/** Only endings the application did not see coming become a frame: ACK timeout, session expiry. */
function dialog(notice: DialogNotice, state: SrfState): Buffer | undefined {
  const srfId = state.ids.srfId(notice.dialogId, notice.role);
  if (notice.event !== 'terminated') {
    state.ids.speaksFor(notice.dialogId);
    return undefined;
  }
  const text = BYE_REASONS[notice.reason];
  const parties = state.partiesOf(srfId);
  state.dialogEnded(notice.dialogId);
  if (text === undefined || !parties) return undefined;
  const bye = unsolicitedBye(parties, text);
  return srfFrame(
    ['sip', ...metaTokens('application', bye, parties.peer, Date.now()), 'unsolicited', srfId, ''],
    bye,
  );
}

/** The C++ server's Reason texts; srf hands the text to the dialog's 'destroy' listeners. */
const BYE_REASONS: Partial<Record<string, string>> = {
  'ack timeout': 'ACK timeout',
  'session expired': 'Session timer expired',
};
