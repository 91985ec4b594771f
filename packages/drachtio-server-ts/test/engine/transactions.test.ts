/**
 * The four RFC 3261 17 state machines against a fake clock: every timer (A-K, plus L and M of
 * RFC 6026, plus Timer C) fires when the RFC says, and retransmissions follow T1/T2/T4.
 */
import {
  InviteClientTransaction,
  type InviteClientUser,
} from '../../src/transaction/invite-client-transaction';
import { InviteServerTransaction } from '../../src/transaction/invite-server-transaction';
import {
  NonInviteClientTransaction,
  type NonInviteClientUser,
} from '../../src/transaction/non-invite-client-transaction';
import { NonInviteServerTransaction } from '../../src/transaction/non-invite-server-transaction';
import type { TimerSettings } from '../../src/transaction/timer-settings';
import { TransactionTable, type ServerEntry } from '../../src/transaction/transaction-table';
import type { ResponseLike, ServerChannel } from '../../src/transaction/transaction';

const timers: TimerSettings = { t1: 500, t2: 4000, t4: 5000, timerC: 180000 };

class RecordingChannel implements ServerChannel {
  readonly sent: Array<{ at: number; data: string }> = [];
  readonly destination = { address: '127.0.0.1', port: 5099, transport: 'udp' as const };
  readonly connection = undefined;
  constructor(readonly reliable = false) {}
  send(data: Buffer): void {
    this.sent.push({ at: Date.now(), data: data.toString() });
  }
  /** Send times relative to the first send. */
  times(data?: string): number[] {
    const sends = data === undefined ? this.sent : this.sent.filter((s) => s.data === data);
    const first = this.sent[0]?.at ?? 0;
    return sends.map((s) => s.at - first);
  }
}

const REQUEST = Buffer.from('REQUEST');
const response = (status: number): ResponseLike => ({ status });

beforeEach(() => jest.useFakeTimers({ now: 0 }));
afterEach(() => jest.useRealTimers());

describe('INVITE client transaction', () => {
  function start(reliable = false, settings = timers) {
    const channel = new RecordingChannel(reliable);
    const user: jest.Mocked<InviteClientUser<ResponseLike>> = {
      onResponse: jest.fn(),
      onTimeout: jest.fn(),
      buildAck: jest.fn(() => Buffer.from('ACK')),
    };
    const terminated = jest.fn();
    const transaction = new InviteClientTransaction(
      'c1',
      REQUEST,
      channel,
      settings,
      user,
      terminated,
    );
    return { channel, user, terminated, transaction };
  }

  test('Timer A doubles the retransmission interval; Timer B gives up after 64*T1', () => {
    const { channel, user, terminated, transaction } = start();
    jest.advanceTimersByTime(64 * 500);
    expect(channel.times()).toEqual([0, 500, 1500, 3500, 7500, 15500, 31500]);
    expect(user.onTimeout).toHaveBeenCalledWith('B');
    expect(terminated).toHaveBeenCalledTimes(1);
    expect(transaction.state).toBe('terminated');
  });

  test('over TCP there is no retransmission', () => {
    const { channel } = start(true);
    jest.advanceTimersByTime(64 * 500);
    expect(channel.times()).toEqual([0]);
  });

  test('a provisional stops retransmission; Timer C then bounds the wait, reset by each provisional', () => {
    const { channel, user, transaction } = start(false, { ...timers, timerC: 60000 });
    transaction.receiveResponse(response(180));
    expect(transaction.state).toBe('proceeding');
    jest.advanceTimersByTime(50000);
    transaction.receiveResponse(response(183));
    jest.advanceTimersByTime(59999);
    expect(user.onTimeout).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(user.onTimeout).toHaveBeenCalledWith('C');
    expect(channel.times()).toEqual([0]);
  });

  test('a non-2xx final is ACKed; its retransmissions get the ACK again until Timer D', () => {
    const { channel, user, terminated, transaction } = start();
    transaction.receiveResponse(response(486));
    expect(transaction.state).toBe('completed');
    expect(user.onResponse).toHaveBeenCalledTimes(1);
    transaction.receiveResponse(response(486));
    expect(user.onResponse).toHaveBeenCalledTimes(1);
    expect(channel.sent.filter((s) => s.data === 'ACK')).toHaveLength(2);
    jest.advanceTimersByTime(31999);
    expect(terminated).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(terminated).toHaveBeenCalled();
  });

  test('a 2xx moves to Accepted: retransmitted 2xx still reach the user until Timer M', () => {
    const { user, terminated, transaction } = start();
    transaction.receiveResponse(response(200));
    expect(transaction.state).toBe('accepted');
    transaction.receiveResponse(response(200));
    expect(user.onResponse).toHaveBeenCalledTimes(2);
    expect(user.buildAck).not.toHaveBeenCalled();
    jest.advanceTimersByTime(64 * 500);
    expect(terminated).toHaveBeenCalled();
  });
});

describe('non-INVITE client transaction', () => {
  function start(reliable = false) {
    const channel = new RecordingChannel(reliable);
    const user: jest.Mocked<NonInviteClientUser<ResponseLike>> = {
      onResponse: jest.fn(),
      onTimeout: jest.fn(),
    };
    const terminated = jest.fn();
    const transaction = new NonInviteClientTransaction(
      'c2',
      REQUEST,
      channel,
      timers,
      user,
      terminated,
    );
    return { channel, user, terminated, transaction };
  }

  test('Timer E doubles up to T2; Timer F gives up after 64*T1', () => {
    const { channel, user } = start();
    jest.advanceTimersByTime(64 * 500);
    expect(channel.times()).toEqual([
      0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500,
    ]);
    expect(user.onTimeout).toHaveBeenCalledWith('F');
  });

  test('in Proceeding the retransmission interval is T2', () => {
    const { channel, transaction } = start();
    transaction.receiveResponse(response(100));
    jest.advanceTimersByTime(12000);
    expect(channel.times()).toEqual([0, 500, 4500, 8500]);
  });

  test('a final response completes it; Timer K (T4) then ends it; later responses are absorbed', () => {
    const { user, terminated, transaction } = start();
    transaction.receiveResponse(response(200));
    transaction.receiveResponse(response(200));
    expect(user.onResponse).toHaveBeenCalledTimes(1);
    jest.advanceTimersByTime(4999);
    expect(terminated).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(terminated).toHaveBeenCalled();
  });

  test('over TCP Timer K is zero', () => {
    const { terminated, transaction } = start(true);
    transaction.receiveResponse(response(200));
    expect(terminated).toHaveBeenCalled();
  });
});

/**
 * A server transaction in a transaction table, as the UA core keeps it: when it ends or hands
 * its rest over to a lingering record, it leaves the table (and its record may stay).
 */
function serve<T extends InviteServerTransaction | NonInviteServerTransaction>(
  make: (channel: ServerChannel, ended: () => void) => T,
  reliable = false,
) {
  const channel = new RecordingChannel(reliable);
  // A lingering record sends its final again the way the channel did, to the same place.
  const table = new TransactionTable<ServerEntry, { id: string }, ResponseLike>({
    resend: (response, destination) => {
      expect(destination).toEqual(channel.destination);
      channel.send(response);
    },
  });
  const terminated = jest.fn();
  const entry: ServerEntry & { transaction: T } = {
    id: 's1',
    key: 'key',
    mergeKey: undefined,
    transaction: make(channel, () => {
      terminated();
      table.removeServer(entry);
    }),
  };
  table.addServer(entry);
  const { transaction } = entry;
  return { channel, terminated, transaction, table, lingering: () => table.lingeringState('key') };
}

describe('INVITE server transaction', () => {
  function start(reliable = false) {
    const ackTimeout = jest.fn();
    const served = serve(
      (channel, ended) => new InviteServerTransaction('s1', channel, timers, ended, ackTimeout),
      reliable,
    );
    return { ...served, ackTimeout };
  }

  test('a retransmitted INVITE gets the last provisional again', () => {
    const { channel, transaction } = start();
    transaction.respond(100, Buffer.from('100'));
    transaction.respond(180, Buffer.from('180'));
    transaction.receiveRetransmission();
    expect(channel.sent.map((s) => s.data)).toEqual(['100', '180', '180']);
  });

  test('Timer G retransmits a non-2xx final (doubling, capped at T2) until Timer H gives up', () => {
    const { channel, ackTimeout, terminated, transaction, table } = start();
    transaction.respond(486, Buffer.from('486'));
    jest.advanceTimersByTime(64 * 500);
    expect(channel.times('486')).toEqual([
      0, 500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500,
    ]);
    expect(ackTimeout).toHaveBeenCalled();
    expect(terminated).toHaveBeenCalled();
    expect(table.serverCount).toBe(0); // nothing lingers after a give-up
  });

  test('the ACK stops Timer G; Timer I (T4) absorbs further ACKs, then ends it', () => {
    const { channel, transaction, table, lingering } = start();
    transaction.respond(486, Buffer.from('486'));
    jest.advanceTimersByTime(600);
    expect(transaction.receiveAck()).toBe(true);
    expect(transaction.state).toBe('confirmed');
    expect(table.absorbsAck('key')).toBe(true);
    expect(table.states().server).toEqual({ confirmed: 1 });
    jest.advanceTimersByTime(4999);
    expect(lingering()).toBeDefined();
    jest.advanceTimersByTime(1);
    expect(lingering()).toBeUndefined();
    expect(channel.times('486')).toEqual([0, 500]);
  });

  test('over TCP the ACK ends it', () => {
    const { transaction, table, lingering } = start(true);
    transaction.respond(486, Buffer.from('486'));
    expect(transaction.receiveAck()).toBe(true);
    expect(lingering()).toBeUndefined();
    expect(table.serverCount).toBe(0);
  });

  test('a 2xx moves to Accepted (RFC 6026): INVITE retransmissions are absorbed silently until Timer L', () => {
    const { channel, transaction, table, lingering } = start();
    transaction.respond(200, Buffer.from('200'));
    expect(transaction.state).toBe('accepted');
    expect(table.serversInProgress).toBe(0);
    expect(table.states().server).toEqual({ accepted: 1 });
    expect(table.answerRetransmission('key')).toBe(true);
    expect(channel.sent).toHaveLength(1);
    expect(table.absorbsAck('key')).toBe(false); // the ACK of a 2xx is the dialog's
    expect(transaction.respond(200, Buffer.from('200'))).toBe(false);
    jest.advanceTimersByTime(64 * 500 - 1);
    expect(lingering()).toBeDefined();
    jest.advanceTimersByTime(1);
    expect(lingering()).toBeUndefined();
  });
});

describe('non-INVITE server transaction', () => {
  const start = (reliable = false) =>
    serve(
      (channel, ended) => new NonInviteServerTransaction('s2', channel, timers, ended),
      reliable,
    );

  test('Trying absorbs retransmissions silently; Completed answers them; Timer J ends it', () => {
    const { channel, transaction, table, lingering } = start();
    transaction.receiveRetransmission();
    expect(channel.sent).toHaveLength(0);
    transaction.respond(200, Buffer.from('200'));
    expect(table.answerRetransmission('key')).toBe(true);
    expect(channel.sent.map((s) => s.data)).toEqual(['200', '200']);
    jest.advanceTimersByTime(64 * 500 - 1);
    expect(lingering()).toBeDefined();
    jest.advanceTimersByTime(1);
    expect(lingering()).toBeUndefined();
  });

  test('over TCP it ends with the final response', () => {
    const { terminated, transaction, table } = start(true);
    transaction.respond(404, Buffer.from('404'));
    expect(terminated).toHaveBeenCalled();
    expect(table.serverCount).toBe(0);
  });
});
