/** Short T1 keeps retransmission and timeout tests fast: 64*T1 = 3.2 s. */
export const FAST_TIMERS = { t1: 50, t2: 400, t4: 500, timerC: 10000 };

/** A minimal SDP offer/answer for calls whose media nobody looks at. */
export const SDP = [
  'v=0',
  'o=- 1 1 IN IP4 127.0.0.1',
  's=-',
  'c=IN IP4 127.0.0.1',
  't=0 0',
  'm=audio 9 RTP/AVP 0',
  '',
].join('\r\n');
