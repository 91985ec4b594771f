/**
 * How a dialog's state is set up from the message that creates it (RFC 3261 12.1.1 for the UAS,
 * 12.1.2 for the UAC): tags, remote target from Contact, route set from Record-Route (reversed
 * for the UAC), CSeq numbers.
 */
import type { Transport } from 'drachtio-protocol';
import { parseNameAddr, splitList, type SipRequest, type SipResponse } from 'drachtio-sip';
import type { Essentials } from '../../transaction/message-essentials';
import { withTag, type RequestParts } from '../../transaction/outgoing-message';
import type { Connection } from '../../transport/transport';
import { contactUri } from '../application-headers';
import { listsTag, typedHeader } from '../headers/typed-header';
import { Dialog } from './dialog';

/** The UAS side, from the INVITE and the To tag our responses carry. */
export function uasDialog(
  request: SipRequest,
  fields: Essentials,
  localTag: string,
  via: { transport: Transport; connection?: Connection },
  inviteTransactionId: string,
): Dialog {
  return new Dialog(
    {
      role: 'uas',
      callId: fields.callId,
      localTag,
      remoteTag: fields.fromTag ?? '',
      localUri: withTag(fields.to, localTag),
      remoteUri: fields.from,
      remoteTarget: contactUri(request) ?? parseNameAddr(fields.from, 'from').uri,
      routeSet: request.getHeaders('record-route').flatMap(splitList),
      localSeq: Math.floor(Math.random() * 10000),
      remoteSeq: fields.cseq.seq,
      transport: via.transport,
      inviteTransactionId,
      peerAllowsUpdate: listsTag(typedHeader(request, 'allow'), 'update'),
    },
    via.connection,
  );
}

/** The UAC side, from our INVITE and the first response with a To tag (provisional or 2xx). */
export function uacDialog(
  invite: RequestParts,
  response: SipResponse,
  fields: Essentials,
  via: { transport: Transport; connection?: Connection },
  inviteTransactionId: string,
): Dialog {
  return new Dialog(
    {
      role: 'uac',
      callId: invite.callId,
      localTag: fields.fromTag ?? '',
      remoteTag: fields.toTag ?? '',
      localUri: invite.from,
      remoteUri: fields.to,
      remoteTarget: contactUri(response) ?? invite.uri,
      routeSet: uacRouteSet(response),
      localSeq: invite.cseq,
      transport: via.transport,
      inviteTransactionId,
      localSdp: invite.body,
    },
    via.connection,
  );
}

/** RFC 3261 12.1.2: the UAC's route set is the response's Record-Route, reversed. */
export function uacRouteSet(response: SipResponse): string[] {
  return response.getHeaders('record-route').flatMap(splitList).reverse();
}

/**
 * RFC 6665 4.1.2.4: a NOTIFY may arrive before the 2xx to our SUBSCRIBE; it then creates the
 * dialog, with its From tag, Contact and Record-Route (in order, as for a request received).
 */
export function notifiedDialog(
  subscribe: RequestParts,
  notify: SipRequest,
  fields: Essentials,
  via: { transport: Transport; connection?: Connection },
  subscribeTransactionId: string,
): Dialog {
  return new Dialog(
    {
      role: 'uac',
      callId: subscribe.callId,
      localTag: fields.toTag ?? '',
      remoteTag: fields.fromTag ?? '',
      localUri: subscribe.from,
      remoteUri: fields.from,
      remoteTarget: contactUri(notify) ?? parseNameAddr(fields.from, 'from').uri,
      routeSet: notify.getHeaders('record-route').flatMap(splitList),
      localSeq: subscribe.cseq,
      transport: via.transport,
      inviteTransactionId: subscribeTransactionId,
    },
    via.connection,
  );
}
