/**
 * The lingering records of finished server transactions, against a fake clock: found by key
 * until they end, swept without a timer each, bounded by their estimated bytes (the oldest go
 * early, and are counted), and still spotting merged INVITEs (RFC 3261 8.2.2.2) meanwhile. And
 * client transactions with their final response, which stay whole but are counted apart.
 */
import { LingerTable, type Expiring } from '../../src/transaction/linger-table';
import { NonInviteClientTransaction } from '../../src/transaction/non-invite-client-transaction';
import type { Remainder } from '../../src/transaction/lingering';
import { TransactionTable, type ServerEntry } from '../../src/transaction/transaction-table';
import type { ResponseLike } from '../../src/transaction/transaction';

beforeEach(() => jest.useFakeTimers({ now: 0 }));
afterEach(() => jest.useRealTimers());

const record = (key: string, ms: number, bytes = 100): Expiring => ({
  key,
  expires: Date.now() + ms,
  bytes,
});

describe('LingerTable', () => {
  test('a record is found until it ends; one sweep removes every ended record', () => {
    const gone: Array<[string, boolean]> = [];
    const table = new LingerTable<Expiring>(1e6, (r, evicted) => gone.push([r.key, evicted]));
    table.add(record('a', 1000), 1000);
    jest.advanceTimersByTime(10);
    table.add(record('b', 1000), 1000);
    table.add(record('c', 5000), 5000);
    expect(table.size).toBe(3);
    jest.advanceTimersByTime(990);
    expect(table.get('a')).toBeUndefined(); // ended, whenever the sweep comes
    expect(table.get('b')).toBeDefined();
    jest.advanceTimersByTime(200);
    expect(gone).toEqual([
      ['a', false],
      ['b', false],
    ]);
    expect(table.size).toBe(1);
    jest.advanceTimersByTime(5000);
    expect(table.size).toBe(0);
    expect(table.bytes).toBe(0);
    expect(jest.getTimerCount()).toBe(0); // nothing armed once empty
  });

  test('the timers are one per duration, not one per record', () => {
    const table = new LingerTable<Expiring>(1e9, () => undefined);
    for (let i = 0; i < 1000; i++) table.add(record(`k${i}`, 32000), 32000);
    for (let i = 0; i < 1000; i++) table.add(record(`i${i}`, 5000), 5000);
    expect(jest.getTimerCount()).toBe(2);
  });

  test('past the byte budget the record nearest its end goes early, and is reported', () => {
    const evicted: string[] = [];
    const table = new LingerTable<Expiring>(300, (r, early) => early && evicted.push(r.key));
    table.add(record('a', 32000), 32000);
    table.add(record('b', 5000), 5000);
    table.add(record('c', 32000), 32000);
    table.add(record('d', 32000), 32000);
    expect(evicted).toEqual(['b']);
    table.add(record('e', 32000), 32000);
    expect(evicted).toEqual(['b', 'a']);
    expect(table.size).toBe(3);
    expect(table.bytes).toBe(300);
    expect(table.get('a')).toBeUndefined();
  });

  test('a record added again under its key takes its new place in the order', () => {
    const table = new LingerTable<Expiring>(1e6, () => undefined);
    table.add(record('a', 1000), 1000);
    jest.advanceTimersByTime(500);
    table.add(record('a', 1000), 1000);
    expect(table.size).toBe(1);
    jest.advanceTimersByTime(999);
    expect(table.get('a')).toBeDefined();
    jest.advanceTimersByTime(200);
    expect(table.size).toBe(0);
  });

  test('clear() forgets everything and stops its timers', () => {
    const table = new LingerTable<Expiring>(1e6, () => undefined);
    table.add(record('a', 1000), 1000);
    table.clear();
    expect(table.size).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
  });
});

describe('TransactionTable lingering', () => {
  /** A finished INVITE (or BYE) entry whose transaction left `remainder`. */
  function finished(id: string, remainder: Remainder): ServerEntry {
    return {
      id,
      key: `key-${id}`,
      mergeKey: undefined,
      transaction: { state: remainder.state, remainder, terminate: () => undefined },
    };
  }
  const accepted: Remainder = { state: 'accepted', ms: 32000 };

  function table(lingerBytes = 64 * 1024 * 1024) {
    const evictions = jest.fn();
    return {
      evictions,
      transactions: new TransactionTable<ServerEntry, { id: string }, ResponseLike>({
        lingerBytes,
        onEvicted: evictions,
      }),
    };
  }

  test('a finished transaction leaves the in-progress count and lingers by key, counted by state', () => {
    const { transactions } = table();
    const entry = finished('1', accepted);
    transactions.addServer(entry);
    transactions.removeServer(entry);
    expect(transactions.serversInProgress).toBe(0);
    expect(transactions.serverCount).toBe(1);
    expect(transactions.server('1')).toBeUndefined();
    expect(transactions.serverByKey('key-1')).toBeUndefined();
    expect(transactions.lingeringByKey('key-1')?.state).toBe('accepted');
    expect(transactions.hasServerKey('key-1')).toBe(true);
    expect(transactions.states().server).toEqual({ accepted: 1 });
    jest.advanceTimersByTime(32000 + 1000);
    expect(transactions.serverCount).toBe(0);
  });

  test('a non-INVITE record sends its final again to a retransmission', () => {
    const { transactions } = table();
    const sent: string[] = [];
    const channel = { reliable: false, send: (data: Buffer) => sent.push(data.toString()) };
    const entry = finished('1', {
      state: 'completed',
      ms: 32000,
      answer: { response: Buffer.from('SIP/2.0 200 OK'), channel },
    });
    transactions.addServer(entry);
    transactions.removeServer(entry);
    transactions.lingeringByKey('key-1')?.receiveRetransmission();
    expect(sent).toEqual(['SIP/2.0 200 OK']);
  });

  test('an answered INVITE keeps spotting merged copies until its record ends', () => {
    const { transactions } = table();
    const entry = finished('1', accepted);
    transactions.addServer(entry);
    transactions.trackMerge(entry, 'call|tag|1');
    transactions.removeServer(entry);
    expect(transactions.isMerged('call|tag|1')).toBe(true);
    jest.advanceTimersByTime(32000 + 1000);
    expect(transactions.isMerged('call|tag|1')).toBe(false);
  });

  test('an INVITE that ends without lingering stops being a merge candidate at once', () => {
    const { transactions } = table();
    const entry: ServerEntry = {
      id: '1',
      key: 'key-1',
      mergeKey: undefined,
      transaction: { state: 'terminated', remainder: undefined, terminate: () => undefined },
    };
    transactions.addServer(entry);
    transactions.trackMerge(entry, 'call|tag|1');
    transactions.removeServer(entry);
    expect(transactions.isMerged('call|tag|1')).toBe(false);
    expect(transactions.serverCount).toBe(0);
  });

  test('a full budget forgets the oldest record early, merge key included, and reports it', () => {
    const { transactions, evictions } = table(1000);
    for (let i = 0; i < 10; i++) {
      const entry = finished(String(i), accepted);
      transactions.addServer(entry);
      transactions.trackMerge(entry, `call${i}|tag|1`);
      transactions.removeServer(entry);
    }
    expect(evictions).toHaveBeenCalled();
    expect(transactions.lingeringBytes).toBeLessThanOrEqual(1000);
    expect(transactions.lingeringByKey('key-0')).toBeUndefined();
    expect(transactions.isMerged('call0|tag|1')).toBe(false);
    expect(transactions.lingeringByKey('key-9')).toBeDefined();
    expect(transactions.isMerged('call9|tag|1')).toBe(true);
    expect(transactions.serverCount + evictions.mock.calls.length).toBe(10);
  });

  test('terminateAll() forgets the lingering records too', () => {
    const { transactions } = table();
    const entry = finished('1', accepted);
    transactions.addServer(entry);
    transactions.trackMerge(entry, 'call|tag|1');
    transactions.removeServer(entry);
    transactions.terminateAll();
    expect(transactions.serverCount).toBe(0);
    expect(transactions.isMerged('call|tag|1')).toBe(false);
    expect(jest.getTimerCount()).toBe(0);
  });
});

describe('TransactionTable client transactions', () => {
  const timers = { t1: 500, t2: 4000, t4: 5000, timerC: 180000 };
  const channel = { reliable: false, send: () => undefined };
  const user = { onResponse: () => undefined, onTimeout: () => undefined };

  function started(
    table: TransactionTable<ServerEntry, { id: string }, ResponseLike>,
    key: string,
  ) {
    const transaction: NonInviteClientTransaction<ResponseLike> = new NonInviteClientTransaction(
      key,
      Buffer.from('BYE'),
      channel,
      timers,
      user,
      () => table.removeClientTransaction(key, transaction),
    );
    table.addClientTransaction(key, transaction);
    return transaction;
  }

  test('one with its final response is live but no longer in progress, until Timer K ends it', () => {
    const table = new TransactionTable<ServerEntry, { id: string }, ResponseLike>();
    const transaction = started(table, 'a');
    started(table, 'b');
    expect(table.clientsInProgress).toBe(2);
    transaction.receiveResponse({ status: 200 });
    expect(table.clientCount).toBe(2);
    expect(table.clientsInProgress).toBe(1);
    jest.advanceTimersByTime(5000);
    expect(table.clientCount).toBe(1);
    expect(table.clientsInProgress).toBe(1);
  });

  test('one replaced under its key is counted no more', () => {
    const table = new TransactionTable<ServerEntry, { id: string }, ResponseLike>();
    const first = started(table, 'a');
    first.receiveResponse({ status: 200 });
    const second = started(table, 'a');
    expect(table.clientsInProgress).toBe(1);
    first.terminate(); // its removal finds another under the key: nothing changes
    expect(table.clientsInProgress).toBe(1);
    second.receiveResponse({ status: 200 });
    second.terminate();
    expect(table.clientCount).toBe(0);
    expect(table.clientsInProgress).toBe(0);
  });
});
