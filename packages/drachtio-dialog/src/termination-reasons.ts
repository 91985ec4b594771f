/**
 * Why a dialog ended: the reasons of drachtio-protocol's `TerminationReason` (the engine names
 * them on its notices, docs/protocol.md 7.4), under names an application can switch on.
 */
import type { TerminationReason as WireTerminationReason } from 'drachtio-protocol';

export const TerminationReason = {
  farEndRelease: 'normal far end release',
  nearEndRelease: 'normal near end release',
  ackTimeout: 'ack timeout',
  sessionExpired: 'session expired',
  callRejected: 'call rejected',
  canceled: 'canceled',
  subscriptionTerminated: 'subscription terminated',
  subscriptionExpired: 'subscription expired',
} as const satisfies Record<string, WireTerminationReason>;

/** Each of the names above, given a `Wire` that must be no wider (the check that none is missing). */
type EveryOneNamed<Named extends string, Wire extends Named> = Wire;

/** The reasons above: all of the protocol's, which `satisfies` and the constraint check both ways. */
export type KnownTerminationReason = EveryOneNamed<
  (typeof TerminationReason)[keyof typeof TerminationReason],
  WireTerminationReason
>;
