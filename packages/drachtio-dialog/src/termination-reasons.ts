/**
 * Why a dialog ended: the strings every layer agrees on (engine notice -> core -> these
 * events), so an application can switch on them.
 */
export const TerminationReason = {
  farEndRelease: 'normal far end release',
  nearEndRelease: 'normal near end release',
  ackTimeout: 'ack timeout',
  sessionExpired: 'session expired',
  callRejected: 'call rejected',
  canceled: 'canceled',
} as const;

export type KnownTerminationReason = (typeof TerminationReason)[keyof typeof TerminationReason];
