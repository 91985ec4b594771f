/**
 * One place that sees every SIP message in and out, for the trace, HEP and metrics. The
 * transport layer calls it only when one is set, so an idle tap costs one undefined check.
 */
import type { LocalAddress } from './transport';

export type TapDirection = 'in' | 'out';

/** Where the message came from (in) or goes to (out). */
export interface TapRemote {
  readonly address: string;
  readonly port: number;
}

/**
 * `data` is the message as it crossed the socket; the tap must not keep or change it. `local`
 * is the listening address (the advertised one when bound to a wildcard).
 */
export type MessageTap = (
  direction: TapDirection,
  data: Buffer,
  remote: TapRemote,
  local: LocalAddress,
) => void;
