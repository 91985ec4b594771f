/**
 * The RAck of a PRACK the application sends itself (RequestOptions.appOwnsPrack). RAck is the
 * engine's header, written by it for its own PRACKs; here it is taken from the application
 * only when well-formed (RFC 3262 7.2) and naming a reliable provisional this dialog received.
 */
import type { HeaderMap } from 'drachtio-protocol';
import { headerKey } from 'drachtio-sip';
import { EngineError } from '../../engine-api';
import type { Dialog } from '../dialog/dialog';

const RACK = /^(\d{1,10})\s+(\d{1,10})\s+INVITE$/i;

/** The RAck line for the application's PRACK in `dialog`; bad or unknown RAck is refused. */
export function applicationRack(dialog: Dialog, headers: HeaderMap | undefined): string {
  const name = Object.keys(headers ?? {}).find((key) => headerKey(key) === 'rack');
  if (name === undefined || headers === undefined)
    throw new EngineError('invalid-argument', 'a PRACK needs a RAck header');
  const value = headers[name];
  const text = String(Array.isArray(value) ? value[0] : value).trim();
  const match = RACK.exec(text);
  if (!match) throw new EngineError('invalid-argument', `invalid RAck "${text}"`);
  const rseq = Number(match[1]);
  if (!dialog.provisionals.receivedRemote(rseq))
    throw new EngineError('invalid-state', `no reliable provisional with RSeq ${rseq} to PRACK`);
  return `RAck: ${rseq} ${Number(match[2])} INVITE`;
}
