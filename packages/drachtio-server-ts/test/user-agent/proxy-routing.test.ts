/** Route and Record-Route processing (RFC 3261 16.4, 16.6, 16.12) and best-response selection (16.7). */
import {
  aggregatedChallenges,
  bestResponse,
  upstreamStatus,
} from '../../src/user-agent/proxy/best-response';
import {
  nextHop,
  preprocessRoute,
  recordRoutes,
  routeValues,
} from '../../src/user-agent/proxy/proxy-routing';
import { isLoop, loopHash, proxyBranch } from '../../src/user-agent/proxy/loop-detection';

const US = [{ host: '10.0.0.1', port: 5060, transport: 'udp' as const }];

describe('Route processing', () => {
  test('a preloaded Route naming us is removed (16.4); the rest is kept', () => {
    const routes = routeValues(['<sip:10.0.0.1;lr>, <sip:p2.example.com;lr>']);
    expect(preprocessRoute('sip:bob@example.com', routes, US)).toEqual({
      requestUri: 'sip:bob@example.com',
      routes: ['<sip:p2.example.com;lr>'],
    });
  });

  test('our Record-Route URI as Request-URI: a strict router before us; the last Route is the target', () => {
    const routes = ['<sip:p2.example.com;lr>', '<sip:bob@192.0.2.4>'];
    expect(preprocessRoute('sip:10.0.0.1:5060;transport=udp;lr;dpx', routes, US)).toEqual({
      requestUri: 'sip:bob@192.0.2.4',
      routes: ['<sip:p2.example.com;lr>'],
    });
  });

  test('both of our double Record-Route entries are removed', () => {
    const routes = [
      '<sip:10.0.0.1:5060;transport=tcp;lr;dpx>',
      '<sip:10.0.0.1:5060;transport=udp;lr;dpx>',
    ];
    expect(preprocessRoute('sip:bob@192.0.2.4', routes, US).routes).toEqual([]);
  });

  test('next hop: the Request-URI, a loose router, or a strict router (16.6 step 7, 16.12)', () => {
    expect(nextHop('sip:bob@192.0.2.4', [])).toEqual({
      requestUri: 'sip:bob@192.0.2.4',
      routes: [],
      destination: 'sip:bob@192.0.2.4',
    });
    expect(nextHop('sip:bob@192.0.2.4', ['<sip:p2;lr>']).destination).toBe('sip:p2;lr');
    expect(nextHop('sip:bob@192.0.2.4', ['<sip:p2>', '<sip:p3;lr>'])).toEqual({
      requestUri: 'sip:p2',
      routes: ['<sip:p3;lr>', '<sip:bob@192.0.2.4>'],
      destination: 'sip:p2',
    });
  });

  test('one Record-Route on one interface, two when the transports differ (outbound on top)', () => {
    const udp = { host: '10.0.0.1', port: 5060, transport: 'udp' as const };
    const tcp = { ...udp, transport: 'tcp' as const };
    expect(recordRoutes(udp, udp)).toEqual(['<sip:10.0.0.1:5060;transport=udp;lr;dpx>']);
    expect(recordRoutes(udp, tcp)).toEqual([
      '<sip:10.0.0.1:5060;transport=tcp;lr;dpx>',
      '<sip:10.0.0.1:5060;transport=udp;lr;dpx>',
    ]);
  });
});

describe('loop detection (16.3 step 4)', () => {
  const fields = {
    requestUri: 'sip:bob@example.com',
    routes: [],
    callId: 'c1',
    fromTag: 'f',
    toTag: undefined,
    cseq: 1,
    proxyRequire: undefined,
    proxyAuthorization: undefined,
  };
  test('the same request again through us is a loop; re-targeted, a spiral', () => {
    const branch = proxyBranch(loopHash(fields));
    expect(isLoop(['z9hG4bKother', branch], loopHash(fields))).toBe(true);
    expect(isLoop([branch], loopHash({ ...fields, requestUri: 'sip:carol@example.com' }))).toBe(
      false,
    );
  });
});

describe('best response (16.7 step 6)', () => {
  const of = (...statuses: number[]) => bestResponse(statuses.map((status) => ({ status })));
  test('a 6xx beats everything; else the lowest class; 4xx that help resubmission first', () => {
    expect(of(486, 603, 302)).toBe(1);
    expect(of(500, 486, 404)).toBe(1);
    expect(of(486, 407, 404)).toBe(1);
    expect(of(302, 486)).toBe(0);
    expect(of()).toBe(-1);
  });

  test('a 503 goes up as 500', () => {
    expect(upstreamStatus(503)).toBe(500);
    expect(upstreamStatus(486)).toBe(486);
  });

  test('401/407: every branch challenge in the one sent up (16.7 step 7)', () => {
    const candidates = [
      { status: 401, challenges: ['WWW-Authenticate: Digest realm="a"'] },
      { status: 486 },
      { status: 407, challenges: ['Proxy-Authenticate: Digest realm="b"'] },
    ];
    const chosen = bestResponse(candidates);
    expect(chosen).toBe(0);
    expect(aggregatedChallenges(candidates, chosen)).toEqual([
      'Proxy-Authenticate: Digest realm="b"',
    ]);
    expect(aggregatedChallenges([{ status: 486 }], 0)).toEqual([]);
  });
});
