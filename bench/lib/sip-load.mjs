// A SIP UAC placing calls at a fixed rate, the same over UDP, TCP and TLS (sipp has no TLS in
// Debian's build): INVITE with SDP -> 200 (1xx ignored) -> ACK -> BYE -> 200, accounted as sipp
// does. Over UDP, INVITE and BYE are retransmitted from T1 = 500 ms, doubling (RFC 3261 17.1),
// and every retransmission is counted; a call is clean only when nothing was retransmitted in
// either direction and both final responses came within the timeout.
// Bounded: at most `maxInFlight` calls open at once, every transaction times out, and the run
// ends by itself at the latest `timeoutMs` after the last call was placed.
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { openWire } from './sip-wire.mjs';
import { percentile } from './stats.mjs';

const T1_MS = 500;
const TICK_MS = 5;
const SDP = [
  'v=0',
  'o=load 1 1 IN IP4 127.0.0.1',
  's=drachtio-ts bench',
  'c=IN IP4 127.0.0.1',
  't=0 0',
  'm=audio 40002 RTP/AVP 0',
  'a=rtpmap:0 PCMU/8000',
  '',
].join('\r\n');

/**
 * Places `calls` calls at `rate` per second to 127.0.0.1:`port` over `transport` ('udp', 'tcp'
 * or 'tls'; `ca` is the PEM trusted for TLS). Resolves to the run's accounting.
 */
export async function runLoad({
  transport,
  port,
  ca,
  rate,
  calls,
  timeoutMs = 8000,
  maxInFlight = 10000,
}) {
  const open = new Map(); // Call-ID -> call, until it ends
  // retransmissions: requests we sent again; duplicates: a 200 to an INVITE received again (our
  // ACK was late); stray: responses to calls already ended (retransmitted, or after a timeout);
  // late: final responses that came more than T1 after their request.
  const counts = {
    completed: 0,
    clean: 0,
    failed: 0,
    timeouts: 0,
    retransmissions: 0,
    duplicates: 0,
    stray: 0,
    late: 0,
  };
  const failures = {}; // status or reason -> count
  const setupMs = [];
  let wireError;
  const tag = randomBytes(4).toString('hex');
  const wire = await openWire(
    { transport, port, ca },
    onResponse,
    (error) => (wireError ??= error.message),
  );
  const remote = `127.0.0.1:${port}`;
  const uriParams = transport === 'udp' ? '' : `;transport=${transport}`;

  const startedAt = performance.now();
  let placed = 0;
  let lastPlacedAt = startedAt;
  let deferred = 0; // ticks on which the in-flight cap held a call back
  // Placing stops at twice the step's length even when the cap kept calls back (a server that
  // stopped answering): the calls never placed are reported as not completed.
  const placingEndsAt = startedAt + (calls / rate) * 2000 + 1000;
  await new Promise((resolve) => {
    const timer = setInterval(() => {
      const now = performance.now();
      const due = Math.min(calls, Math.floor(((now - startedAt) / 1000) * rate) + 1);
      const done = placed >= calls || wireError || now > placingEndsAt;
      while (!done && placed < due) {
        if (open.size >= maxInFlight) {
          deferred++;
          break;
        }
        place(placed++);
        lastPlacedAt = performance.now();
      }
      if (done && (open.size === 0 || now - lastPlacedAt > timeoutMs)) finish();
    }, TICK_MS);
    const finish = () => {
      clearInterval(timer);
      resolve();
    };
  });
  for (const call of open.values()) end(call, 'timeouts');
  wire.close();

  const placingSeconds = Math.max((lastPlacedAt - startedAt) / 1000, 1 / rate);
  return {
    transport,
    rate,
    calls,
    placed,
    ...counts,
    failures,
    deferred,
    wireError,
    // Calls placed per second of placing (the last call is at (n-1)/rate, so n calls take n/rate).
    achievedRate: placed > 1 ? (placed - 1) / placingSeconds : placed,
    setupMs: {
      p50: round(percentile(setupMs, 50)),
      p99: round(percentile(setupMs, 99)),
      max: round(percentile(setupMs, 100)),
    },
  };

  function place(n) {
    const callId = `${tag}-${n}@load`;
    const call = {
      callId,
      fromTag: `f${n}`,
      uri: `sip:service@${remote}${uriParams}`,
      branch: newBranch(),
      sentAt: performance.now(),
      state: 'inviting',
      clean: true,
    };
    open.set(callId, call);
    send(call, request('INVITE', call.uri, { ...call, cseq: 1 }), true);
  }

  /** Sends a request; over UDP, an INVITE or BYE is retransmitted until answered or timed out. */
  function send(call, text, reliable) {
    wire.send(text);
    clearTimeout(call.timer);
    call.requestSentAt = performance.now();
    const deadline = (call.deadline = call.requestSentAt + timeoutMs);
    const retransmit = (interval) =>
      setTimeout(
        () => {
          if (performance.now() >= deadline) return end(call, 'timeouts');
          counts.retransmissions++;
          call.clean = false;
          wire.send(text);
          call.timer = retransmit(interval * 2);
        },
        Math.min(interval, deadline - performance.now()),
      );
    if (reliable && transport === 'udp') call.timer = retransmit(T1_MS);
    else call.timer = setTimeout(() => end(call, 'timeouts'), timeoutMs);
  }

  function onResponse(response) {
    const call = open.get(response.callId);
    if (!call) return void counts.stray++;
    if (response.method === 'INVITE') {
      if (response.status < 200) {
        // A provisional response stops the INVITE's retransmissions (RFC 3261 17.1.1.2); the
        // 200 must still come before the deadline.
        if (call.state === 'inviting' && transport === 'udp') {
          clearTimeout(call.timer);
          call.timer = setTimeout(() => end(call, 'timeouts'), call.deadline - performance.now());
        }
        return;
      }
      if (call.state !== 'inviting') {
        // The 200 again: our ACK was late or lost. Answer it as RFC 3261 13.2.2.4 says.
        counts.duplicates++;
        call.clean = false;
        if (response.status < 300) wire.send(call.ack);
        return;
      }
      if (response.status >= 300) {
        wire.send(request('ACK', call.uri, { ...call, cseq: 1, toHeader: response.to }));
        return end(call, 'failed', response.status);
      }
      setupMs.push(performance.now() - call.sentAt);
      checkInTime(call);
      call.state = 'ending';
      const target = response.contactUri || `sip:service@${remote}${uriParams}`;
      const dialog = {
        callId: call.callId,
        fromTag: call.fromTag,
        toHeader: response.to,
        branch: undefined,
      };
      call.ack = request('ACK', target, { ...dialog, cseq: 1 });
      wire.send(call.ack);
      send(call, request('BYE', target, { ...dialog, cseq: 2 }), true);
    } else if (response.method === 'BYE' && call.state === 'ending') {
      if (response.status < 200) return;
      checkInTime(call);
      end(call, response.status < 300 ? 'completed' : 'failed', response.status);
    }
  }

  /**
   * A final response later than T1 is late on every transport: over UDP the request would have
   * been retransmitted by then, so TCP and TLS are held to the same standard as UDP.
   */
  function checkInTime(call) {
    if (performance.now() - call.requestSentAt <= T1_MS) return;
    counts.late++;
    call.clean = false;
  }

  function end(call, outcome, status) {
    clearTimeout(call.timer);
    open.delete(call.callId);
    counts[outcome]++;
    if (outcome !== 'completed')
      failures[status ?? outcome] = (failures[status ?? outcome] ?? 0) + 1;
    else if (call.clean) counts.clean++;
  }

  /** A request as text. The ACK of a failure reuses the INVITE's branch (same transaction); the rest get new ones. */
  function request(method, uri, { callId, fromTag, cseq, toHeader, branch }) {
    const via = `SIP/2.0/${wire.via} ${wire.sentBy};branch=${branch ?? newBranch()}${transport === 'udp' ? ';rport' : ''}`;
    const body = method === 'INVITE' ? SDP : '';
    const lines = [
      `${method} ${uri} SIP/2.0`,
      `Via: ${via}`,
      'Max-Forwards: 70',
      `From: <sip:load@127.0.0.1>;tag=${fromTag}`,
      `To: ${toHeader ?? `<sip:service@${remote}>`}`,
      `Call-ID: ${callId}`,
      `CSeq: ${cseq} ${method}`,
      `Contact: <sip:load@${wire.sentBy}${uriParams}>`,
      ...(body ? ['Content-Type: application/sdp'] : []),
      `Content-Length: ${Buffer.byteLength(body)}`,
      '',
      body,
    ];
    return lines.join('\r\n');
  }
}

const newBranch = () => `z9hG4bK${randomBytes(6).toString('hex')}`;
const round = (ms) => (ms === null ? null : Math.round(ms * 10) / 10);
