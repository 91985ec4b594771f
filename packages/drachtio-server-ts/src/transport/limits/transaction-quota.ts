/**
 * In-flight server transactions per source address: one address cannot take the whole
 * transaction table (maxTransactions) for itself. A transaction counts from its request until
 * its final response (or its end, when it never gets one): a busy trunk's finished
 * transactions, lingering 32 s to absorb retransmissions, do not count against it.
 */
import type { Logger } from 'pino';
import { LimitLog } from './limit-log';
import type { SipLimitCounters } from './limit-counters';
import { SourceCounts } from './source-counts';

export class TransactionQuota {
  private readonly counts: SourceCounts;
  private readonly holders = new Map<object, string>();
  private readonly log: LimitLog;

  constructor(
    perSource: number,
    private readonly exempt: ReadonlySet<string>,
    private readonly counters: SipLimitCounters,
    logger: Logger,
  ) {
    this.counts = new SourceCounts(perSource);
    this.log = new LimitLog(logger);
  }

  /** Whether `transaction` from `address` may proceed; end() it when it is answered or gone. */
  admit(transaction: object, address: string): boolean {
    if (this.exempt.has(address)) return true;
    if (this.counts.acquire(address) === undefined) {
      this.holders.set(transaction, address);
      return true;
    }
    this.counters.limits['sip-transactions-per-source']++;
    this.log.hit('sip-transactions-per-source', { address, live: this.counts.count(address) });
    return false;
  }

  end(transaction: object): void {
    const address = this.holders.get(transaction);
    if (address === undefined) return;
    this.holders.delete(transaction);
    this.counts.release(address);
  }
}
