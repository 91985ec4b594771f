import type { OutgoingMessage } from './codec';
import type { CommandMap, CommandName, ResponseEnvelope, SentMessage } from './messages';

/**
 * Command replies. A result that holds a SIP message (`raw`, the message as sent) carries it
 * after the JSON like every other SIP on the wire: escaped into a JSON string it would cost the
 * server an escape and the application an unescape of every message it sends.
 */

/** The reply frame for a command's result. */
export function encodeReply<C extends CommandName>(
  rid: string,
  result: CommandMap[C][1],
): OutgoingMessage {
  if (!isSentMessage(result))
    return { envelope: { type: 'response', rid, ok: true, data: result } };
  const { raw, ...data } = result;
  return { envelope: { type: 'response', rid, ok: true, data }, sip: raw };
}

/**
 * A successful reply's result, with the SIP that followed its JSON (if any) back in `raw`. The
 * data object is the decoded envelope's own and is completed in place: it was parsed for this
 * reply alone, and a copy per command is measurable in an application's profile.
 */
export function decodeResult(
  envelope: Extract<ResponseEnvelope, { ok: true }>,
  sip: string | undefined,
): unknown {
  if (sip !== undefined) (envelope.data as Partial<SentMessage>).raw = sip;
  return envelope.data;
}

function isSentMessage(result: object): result is SentMessage {
  return typeof (result as Partial<SentMessage>).raw === 'string';
}
