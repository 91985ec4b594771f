/**
 * The dialog layer's own clocks against a fake clock: 2xx retransmission until the ACK
 * (RFC 3261 13.3.1.4), reliable provisionals until the PRACK (RFC 3262), session timers (RFC 4028).
 */
import pino from 'pino';
import { Dialog } from '../../src/user-agent/dialog/dialog';
import { Retransmitter } from '../../src/user-agent/retransmitter';
import { SessionClock } from '../../src/user-agent/session-timer/session-clock';
import { checkSessionInterval } from '../../src/user-agent/session-timer/session-interval';
import { SessionTimers } from '../../src/user-agent/session-timer/session-timers';
import type { TimerSettings } from '../../src/transaction/timer-settings';

const timers: TimerSettings = { t1: 500, t2: 4000, t4: 5000, timerC: 180000 };

beforeEach(() => jest.useFakeTimers({ now: 0 }));
afterEach(() => jest.useRealTimers());

describe('Retransmitter', () => {
  test('a 2xx goes out at T1, doubling up to T2, and the peer is given up on after 64*T1', () => {
    const sent: number[] = [];
    const giveUp = jest.fn();
    new Retransmitter(() => sent.push(Date.now()), timers, false, timers.t2, giveUp);
    jest.advanceTimersByTime(64 * 500);
    expect(sent).toEqual([500, 1500, 3500, 7500, 11500, 15500, 19500, 23500, 27500, 31500]);
    expect(giveUp).toHaveBeenCalledTimes(1);
  });

  test('stop() (the ACK arrived) ends retransmission and the give-up timer', () => {
    const sent: number[] = [];
    const giveUp = jest.fn();
    const retransmitter = new Retransmitter(
      () => sent.push(Date.now()),
      timers,
      false,
      timers.t2,
      giveUp,
    );
    jest.advanceTimersByTime(1600);
    retransmitter.stop();
    jest.advanceTimersByTime(64 * 500);
    expect(sent).toEqual([500, 1500]);
    expect(giveUp).not.toHaveBeenCalled();
    expect(retransmitter.active).toBe(false);
  });

  test('over TCP nothing is retransmitted, but the wait is still bounded', () => {
    const send = jest.fn();
    const giveUp = jest.fn();
    new Retransmitter(send, timers, true, timers.t2, giveUp);
    jest.advanceTimersByTime(64 * 500);
    expect(send).not.toHaveBeenCalled();
    expect(giveUp).toHaveBeenCalled();
  });
});

describe('SessionClock', () => {
  test('the refresher refreshes at half the interval; a refresh starts the clocks again', () => {
    const refresh = jest.fn();
    const expire = jest.fn();
    const timer = new SessionClock(refresh, expire);
    const plan = { interval: 90, refresher: 'uas' as const };
    timer.start(plan, true);
    jest.advanceTimersByTime(45000);
    expect(refresh).toHaveBeenCalledWith(plan);
    timer.start(plan, true); // the refresh succeeded
    jest.advanceTimersByTime(59999);
    expect(expire).not.toHaveBeenCalled();
    timer.stop();
  });

  test('without a refresh the session expires at interval - min(32, interval/3) seconds', () => {
    const refresh = jest.fn();
    const expire = jest.fn();
    const timer = new SessionClock(refresh, expire);
    timer.start({ interval: 90, refresher: 'uac' }, false);
    jest.advanceTimersByTime(59999);
    expect(expire).not.toHaveBeenCalled();
    jest.advanceTimersByTime(1);
    expect(expire).toHaveBeenCalledTimes(1);
    expect(refresh).not.toHaveBeenCalled();
  });

  test('Min-SE: an interval below ours is refused with 422 naming our minimum', () => {
    expect(checkSessionInterval({ delta: 60, params: {} }, { minSE: 90 })).toEqual({
      status: 422,
      headers: ['Min-SE: 90'],
    });
    expect(checkSessionInterval({ delta: 90, params: {} }, { minSE: 90 })).toBeUndefined();
    expect(checkSessionInterval(undefined, { minSE: 90 })).toBeUndefined();
  });
});

describe('SessionTimers', () => {
  function setUp() {
    const host = {
      logger: pino({ level: 'silent' }),
      sendInDialog: jest.fn(),
      endDialog: jest.fn(),
    };
    const sessions = new SessionTimers(host, 90);
    const dialog = new Dialog({
      role: 'uas',
      callId: 'c',
      localTag: 'l',
      remoteTag: 'r',
      localUri: '<sip:a@h>;tag=l',
      remoteUri: '<sip:b@h>;tag=r',
      remoteTarget: 'sip:b@h',
      routeSet: [],
      localSeq: 1,
      transport: 'udp',
      inviteTransactionId: 't',
    });
    return { host, sessions, dialog };
  }

  test('expiry sends BYE with a Reason and ends the dialog as session expired', () => {
    const { host, sessions, dialog } = setUp();
    sessions.start(dialog, { interval: 90, refresher: 'uac' }, false);
    jest.advanceTimersByTime(60000);
    expect(host.sendInDialog).toHaveBeenCalledWith(dialog, 'BYE', [
      expect.stringMatching(/^Reason: SIP;cause=408/),
    ]);
    expect(host.endDialog).toHaveBeenCalledWith(dialog, 'session expired');
  });

  test('the refresher refreshes with a re-INVITE carrying the last SDP, or UPDATE when the peer allows it', () => {
    const { host, sessions, dialog } = setUp();
    dialog.sentSdp('v=0\r\n');
    sessions.start(dialog, { interval: 90, refresher: 'uas' }, false);
    jest.advanceTimersByTime(45000);
    expect(host.sendInDialog).toHaveBeenLastCalledWith(
      dialog,
      'INVITE',
      expect.any(Array),
      'v=0\r\n',
    );
    dialog.peerAllowed(true);
    sessions.start(dialog, { interval: 90, refresher: 'uas' }, false);
    jest.advanceTimersByTime(45000);
    expect(host.sendInDialog).toHaveBeenLastCalledWith(dialog, 'UPDATE', expect.any(Array));
    dialog.close();
  });

  test('a 2xx without Session-Expires turns the session timer off (RFC 4028 9)', () => {
    const { host, sessions, dialog } = setUp();
    sessions.start(dialog, { interval: 90, refresher: 'uac' }, false);
    sessions.start(dialog, undefined, false);
    jest.advanceTimersByTime(120000);
    expect(host.sendInDialog).not.toHaveBeenCalled();
    expect(host.endDialog).not.toHaveBeenCalled();
  });
});
