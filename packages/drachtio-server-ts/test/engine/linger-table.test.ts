/**
 * The lingering records of finished server transactions, against a fake clock: bytes in segment
 * logs off the V8 heap, found by key until they end (whenever the sweep comes), swept without a
 * timer each, replaced under their key, bounded by the exact bytes of segments and indexes (the
 * oldest go early, a segment at a time, and are counted), and still spotting merged INVITEs (RFC
 * 3261 8.2.2.2) meanwhile. And client transactions with their final response, which stay whole
 * but are counted apart.
 */
import type { Connection, Destination } from '../../src/transport/transport';
import { LingerTable, type Resend } from '../../src/transaction/linger-table';
import { NonInviteClientTransaction } from '../../src/transaction/non-invite-client-transaction';
import type { LingeringState, Remainder } from '../../src/transaction/lingering';
import { TransactionTable, type ServerEntry } from '../../src/transaction/transaction-table';
import type { ResponseLike, ServerChannel } from '../../src/transaction/transaction';

beforeEach(() => jest.useFakeTimers({ now: 0 }));
afterEach(() => jest.useRealTimers());

const PEER: Destination = { address: '192.0.2.7', port: 5070, transport: 'udp' };

function channel(destination = PEER, connection?: Connection): ServerChannel {
  return { reliable: false, destination, connection, send: () => undefined };
}

const lingers = (state: LingeringState, ms: number): Remainder => ({ state, ms });
const completed = (response: string, ms = 32000, via = channel()): Remainder => ({
  state: 'completed',
  ms,
  answer: { response: Buffer.from(response), channel: via },
});

function linger(budget = 64 * 1024 * 1024) {
  const evicted = jest.fn();
  const resent: Array<{ response: string; destination: Destination; connection?: Connection }> = [];
  const resend: Resend = (response, destination, connection) =>
    resent.push({ response: response.toString(), destination, connection });
  const table = new LingerTable({ budget, onEvicted: evicted, resend });
  return { table, evicted, resent };
}

/** The table's references to stream connections (kept in a map, the only per-record JS). */
const connectionRefs = (table: LingerTable): number =>
  (table as unknown as { connections: Map<number, Connection> }).connections.size;

const states = (table: LingerTable): Record<string, number> => {
  const counts: Record<string, number> = {};
  table.countStates(counts);
  return counts;
};

describe('LingerTable', () => {
  test('a record is found until it ends, swept or not; one sweep removes every ended record', () => {
    const { table } = linger();
    const empty = table.bytes;
    table.add('a', undefined, lingers('accepted', 1000));
    jest.advanceTimersByTime(10);
    table.add('b', undefined, lingers('accepted', 1000));
    table.add('c', undefined, completed('SIP/2.0 200 OK', 5000));
    expect(table.size).toBe(3);
    expect(states(table)).toEqual({ accepted: 2, completed: 1 });
    jest.advanceTimersByTime(990);
    expect(table.state('a')).toBeUndefined(); // ended, though its sweep has not come
    expect(table.answerRetransmission('a')).toBe(false);
    expect(table.state('b')).toBe('accepted');
    jest.advanceTimersByTime(200);
    expect(table.size).toBe(1);
    expect(states(table)).toEqual({ completed: 1 });
    jest.advanceTimersByTime(5000);
    expect(table.size).toBe(0);
    expect(states(table)).toEqual({});
    expect(table.bytes).toBe(empty); // every segment let go
    expect(jest.getTimerCount()).toBe(0); // nothing armed once empty
  });

  test('the timers are one per duration, not one per record', () => {
    const { table } = linger();
    for (let i = 0; i < 1000; i++) table.add(`k${i}`, undefined, lingers('accepted', 32000));
    for (let i = 0; i < 1000; i++) table.add(`i${i}`, undefined, lingers('confirmed', 5000));
    expect(jest.getTimerCount()).toBe(2);
    expect(states(table)).toEqual({ accepted: 1000, confirmed: 1000 });
    for (let i = 0; i < 1000; i++) expect(table.state(`k${i}`)).toBe('accepted');
  });

  test('records end in the order they were added, and their segments go as they do', () => {
    const { table } = linger();
    const empty = table.bytes;
    // 1 KiB of response each: a 512 KiB segment holds about 490.
    const response = `SIP/2.0 200 OK\r\n${'X'.repeat(1000)}`;
    for (let i = 0; i < 2000; i++) {
      table.add(`k${i}`, undefined, completed(response));
      jest.advanceTimersByTime(10); // the last ends 20 s after the first
    }
    const full = table.bytes;
    // Five segments, and the key index grown to 4,096 slots of 12 bytes (at most half full).
    expect(full - empty).toBe(5 * 512 * 1024 + (4096 - 16) * 12);
    jest.advanceTimersByTime(32000 - 20000 + 100 + 5000); // the first 500 or so ended
    for (let i = 0; i < 2000; i++)
      expect(table.state(`k${i}`)).toBe(i * 10 + 32000 > Date.now() ? 'completed' : undefined);
    expect(table.bytes).toBeLessThan(full);
    expect(table.bytes - empty).toBeGreaterThanOrEqual(3 * 512 * 1024);
    jest.advanceTimersByTime(20000);
    expect(table.size).toBe(0);
    expect(table.bytes).toBe(empty);
  });

  test('a non-INVITE answers a retransmission with its final, to where it went, over its connection', () => {
    const { table, resent } = linger();
    const connection: Connection = {
      id: 3,
      remote: { address: '192.0.2.9', port: 40000, transport: 'tcp' },
      closed: false,
      write: () => undefined,
    };
    const wss: Destination = { address: 'fd00::1', port: 443, transport: 'wss' };
    table.add('bye', undefined, completed('SIP/2.0 200 OK\r\n\r\n'));
    table.add(
      'info',
      undefined,
      completed('SIP/2.0 202 Accepted', 32000, channel(wss, connection)),
    );
    table.add('invite', 'call|tag|1', lingers('accepted', 32000));
    expect(table.answerRetransmission('bye')).toBe(true);
    expect(table.answerRetransmission('info')).toBe(true);
    expect(table.answerRetransmission('invite')).toBe(true); // absorbed, nothing sent
    expect(table.answerRetransmission('other')).toBe(false);
    expect(resent).toEqual([
      { response: 'SIP/2.0 200 OK\r\n\r\n', destination: PEER, connection: undefined },
      { response: 'SIP/2.0 202 Accepted', destination: wss, connection },
    ]);
    expect(connectionRefs(table)).toBe(1);
    jest.advanceTimersByTime(32100);
    expect(connectionRefs(table)).toBe(0); // the connection is not held past its record
  });

  test('a record added again under its key replaces the old one and takes its place in the order', () => {
    const { table, evicted } = linger();
    table.add('a', undefined, lingers('accepted', 1000));
    jest.advanceTimersByTime(500);
    table.add('a', undefined, lingers('confirmed', 1000));
    expect(table.size).toBe(1);
    expect(states(table)).toEqual({ confirmed: 1 });
    jest.advanceTimersByTime(999);
    expect(table.state('a')).toBe('confirmed');
    jest.advanceTimersByTime(1);
    expect(table.state('a')).toBeUndefined();
    jest.advanceTimersByTime(200);
    expect(table.size).toBe(0);
    expect(evicted).not.toHaveBeenCalled();
  });

  test('a merge key is seen until its record ends; a later INVITE with it takes it over', () => {
    const { table } = linger();
    table.add('i1', 'call|tag|1', lingers('confirmed', 5000));
    table.add('i2', 'call|tag|2', lingers('accepted', 32000));
    expect(table.hasMergeKey('call|tag|1')).toBe(true);
    expect(table.hasMergeKey('call|tag|3')).toBe(false);
    jest.advanceTimersByTime(5000);
    expect(table.hasMergeKey('call|tag|1')).toBe(false); // ended, before its sweep
    expect(table.hasMergeKey('call|tag|2')).toBe(true);
    table.releaseMerge('call|tag|2');
    expect(table.hasMergeKey('call|tag|2')).toBe(false);
    expect(table.state('i2')).toBe('accepted'); // it still absorbs its retransmissions
    table.add('i3', 'call|tag|4', lingers('accepted', 32000));
    table.add('i4', 'call|tag|4', lingers('confirmed', 5000));
    jest.advanceTimersByTime(5100);
    expect(table.hasMergeKey('call|tag|4')).toBe(false); // the later one answered for it
    expect(table.state('i3')).toBe('accepted');
  });

  test('keys with characters past latin1 are kept whole, not folded onto other keys', () => {
    const { table } = linger();
    table.add('branch\u0101', 'caf\u00e9\u4e2d|t|1', lingers('accepted', 1000));
    expect(table.state('branch\u0101')).toBe('accepted');
    expect(table.state('branch\u0001')).toBeUndefined();
    expect(table.hasMergeKey('caf\u00e9\u4e2d|t|1')).toBe(true);
    expect(table.hasMergeKey('caf\u00e9\u002d|t|1')).toBe(false);
  });

  test('past the byte budget the oldest records go early, a segment at a time, each reported', () => {
    const { table, evicted } = linger(8192); // 1 KiB segments
    for (let i = 0; i < 200; i++) {
      table.add(
        `key-${i}`,
        `call-${i}|tag|1`,
        lingers(i % 10 === 0 ? 'confirmed' : 'accepted', i % 10 === 0 ? 5000 : 32000),
      );
      expect(table.bytes).toBeLessThanOrEqual(8192);
    }
    expect(evicted).toHaveBeenCalled();
    expect(table.size + evicted.mock.calls.length).toBe(200);
    expect(table.state('key-0')).toBeUndefined();
    expect(table.hasMergeKey('call-0|tag|1')).toBe(false);
    expect(table.state('key-199')).toBe('accepted');
    expect(table.hasMergeKey('call-199|tag|1')).toBe(true);
    const counts = states(table);
    expect((counts.accepted ?? 0) + (counts.confirmed ?? 0)).toBe(table.size);
    // The shorter duration's records end first, so its log gives up its segments first.
    expect(counts.confirmed ?? 0).toBeLessThan(20);
  });

  test('a record that does not fit the budget even alone goes at once, and is counted', () => {
    const { table, evicted } = linger(4000);
    table.add('small', undefined, completed('SIP/2.0 200 OK'));
    table.add('big', undefined, completed(`SIP/2.0 200 OK\r\n${'X'.repeat(5000)}`));
    expect(table.state('big')).toBeUndefined();
    expect(table.state('small')).toBeUndefined(); // went first, to try to make room
    expect(evicted).toHaveBeenCalledTimes(2);
    expect(table.bytes).toBeLessThanOrEqual(4000);
  });

  test('clear() forgets everything, lets every segment go and stops its timers', () => {
    const { table } = linger();
    const empty = table.bytes;
    table.add('a', 'm', lingers('accepted', 1000));
    table.clear();
    expect(table.size).toBe(0);
    expect(table.state('a')).toBeUndefined();
    expect(table.hasMergeKey('m')).toBe(false);
    expect(table.bytes).toBe(empty);
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
  /** A transaction that ends without lingering (its INVITE got no final it must absorb for). */
  function unfinished(id: string): ServerEntry {
    return {
      id,
      key: `key-${id}`,
      mergeKey: undefined,
      transaction: { state: 'terminated', remainder: undefined, terminate: () => undefined },
    };
  }
  const accepted: Remainder = { state: 'accepted', ms: 32000 };

  function table(lingerBytes = 64 * 1024 * 1024) {
    const evictions = jest.fn();
    const sent: string[] = [];
    return {
      evictions,
      sent,
      transactions: new TransactionTable<ServerEntry, { id: string }, ResponseLike>({
        lingerBytes,
        onEvicted: evictions,
        resend: (response) => sent.push(response.toString()),
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
    expect(transactions.lingeringState('key-1')).toBe('accepted');
    expect(transactions.hasServerKey('key-1')).toBe(true);
    expect(transactions.states().server).toEqual({ accepted: 1 });
    jest.advanceTimersByTime(32000 + 1000);
    expect(transactions.serverCount).toBe(0);
  });

  test('a non-INVITE record sends its final again to a retransmission', () => {
    const { transactions, sent } = table();
    const entry = finished('1', completed('SIP/2.0 200 OK'));
    transactions.addServer(entry);
    transactions.removeServer(entry);
    expect(transactions.answerRetransmission('key-1')).toBe(true);
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
    const entry = unfinished('1');
    transactions.addServer(entry);
    transactions.trackMerge(entry, 'call|tag|1');
    transactions.removeServer(entry);
    expect(transactions.isMerged('call|tag|1')).toBe(false);
    expect(transactions.serverCount).toBe(0);
  });

  test('an INVITE in progress takes its merge key over from a lingering one with the same key', () => {
    const { transactions } = table();
    const first = finished('1', { state: 'confirmed', ms: 5000 });
    transactions.addServer(first);
    transactions.trackMerge(first, 'call|tag|1');
    transactions.removeServer(first);
    const spiral = unfinished('2');
    transactions.addServer(spiral);
    transactions.trackMerge(spiral, 'call|tag|1');
    expect(transactions.isMerged('call|tag|1')).toBe(true);
    transactions.removeServer(spiral);
    expect(transactions.isMerged('call|tag|1')).toBe(false);
    expect(transactions.lingeringState('key-1')).toBe('confirmed');
  });

  test('a full budget forgets the oldest record early, merge key included, and reports it', () => {
    const { transactions, evictions } = table(4000); // three 1 KiB segments and the indexes
    for (let i = 0; i < 100; i++) {
      const entry = finished(String(i), accepted);
      transactions.addServer(entry);
      transactions.trackMerge(entry, `call${i}|tag|1`);
      transactions.removeServer(entry);
    }
    expect(evictions).toHaveBeenCalled();
    expect(transactions.lingeringBytes).toBeLessThanOrEqual(4000);
    expect(transactions.lingeringState('key-0')).toBeUndefined();
    expect(transactions.isMerged('call0|tag|1')).toBe(false);
    expect(transactions.lingeringState('key-99')).toBeDefined();
    expect(transactions.isMerged('call99|tag|1')).toBe(true);
    expect(transactions.serverCount + evictions.mock.calls.length).toBe(100);
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
  const options = { resend: () => undefined };

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
    const table = new TransactionTable<ServerEntry, { id: string }, ResponseLike>(options);
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
    const table = new TransactionTable<ServerEntry, { id: string }, ResponseLike>(options);
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
