/**
 * What every part of the UA core shares: the transport (behind SipTransport, so the usages are
 * tested without sockets), timer settings, limits, the transaction and dialog tables and the
 * engine's event channel.
 */
import type { Logger } from 'pino';
import type { EngineEvents } from '../engine-api';
import type { OverloadControl } from '../overload/overload-control';
import type { TimerSettings } from '../transaction/timer-settings';
import type { TransactionTable } from '../transaction/transaction-table';
import type { TransactionQuota } from '../transport/limits/transaction-quota';
import type { OutboundRouting } from '../transport/dns/outbound';
import type { SipTransport } from '../transport/transport';
import type { ClientRequest, ReceivedResponse } from './client/client-request';
import type { DialogTable } from './dialog/dialog-table';
import type { ServerRequest } from './server/server-request';

export type UserAgentTransactions = TransactionTable<
  ServerRequest,
  ClientRequest,
  ReceivedResponse
>;

export interface UserAgentCore {
  readonly transport: SipTransport;
  /** RFC 3263 resolution, outbound proxy and MTU for the requests we send. */
  readonly outbound: OutboundRouting;
  readonly timers: TimerSettings;
  readonly logger: Logger;
  readonly dialogs: DialogTable;
  readonly transactions: UserAgentTransactions;
  readonly limits: { maxTransactions: number; maxDialogs: number; minSE: number };
  /** Live server transactions per source address (absent: unbounded, as in the usages' unit tests). */
  readonly quota?: TransactionQuota;
  /** Refuses new requests while the server falls behind (absent: off). */
  readonly overload?: OverloadControl;
  /** False once stop() began: new requests are refused. */
  running(): boolean;
  emit<E extends keyof EngineEvents>(event: E, ...args: Parameters<EngineEvents[E]>): void;
}
