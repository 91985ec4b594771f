/**
 * Each SIP abuse limit crossed over real sockets: the refusal is seen, and traffic from another
 * address (127.0.0.2, also loopback) still flows.
 */
import { connect, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import type { Engine } from '../../src/engine';
import type { ProtectionInput } from '../../src/transport/limits/protection-options';
import { remoteOf, startEngine, TestApp, waitFor } from '../engine/helpers';
import { requestText, UdpPeer } from '../engine/udp-client';

jest.setTimeout(60_000);

interface Setup {
  engine: Engine;
  app: TestApp;
  attacker: UdpPeer;
  bystander: UdpPeer;
  udp: number;
  tcp: number;
}

async function setup(protection: ProtectionInput): Promise<Setup> {
  const engine = await startEngine({ protection });
  const app = new TestApp(engine);
  const attacker = await UdpPeer.open('127.0.0.1');
  const bystander = await UdpPeer.open('127.0.0.2');
  const port = (transport: 'udp' | 'tcp') => Number(remoteOf(engine, transport).split(':')[1]);
  return { engine, app, attacker, bystander, udp: port('udp'), tcp: port('tcp') };
}

async function teardown(s: Setup): Promise<void> {
  await s.attacker.close();
  await s.bystander.close();
  await s.engine.stop();
}

/** An OPTIONS from `peer` gets `status` (the app answers 200). */
async function expectStatus(peer: UdpPeer, s: Setup, status: number, text?: string): Promise<void> {
  const from = peer.received.length;
  const request = text ?? requestText(peer.port);
  peer.send(request, s.udp);
  const branch = /branch=([^;\r\n]+)/.exec(request)?.[1] ?? '';
  await peer.next(new RegExp(`^SIP/2.0 ${status} [^]*${branch}`), from);
}

async function expectSilence(peer: UdpPeer, s: Setup): Promise<void> {
  // Answers to what was sent before the limit hit may still be on their way.
  await new Promise((resolve) => setTimeout(resolve, 300));
  const from = peer.received.length;
  peer.send(requestText(peer.port), s.udp);
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(peer.received.slice(from)).toEqual([]);
}

function tcpConnect(port: number, localAddress = '127.0.0.1'): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ port, host: '127.0.0.1', localAddress }, () => resolve(socket));
    socket.on('error', reject);
  });
}

function closed(socket: Socket, timeoutMs = 5000): Promise<boolean> {
  if (socket.destroyed || socket.readableEnded) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
    socket.resume();
  });
}

test('requests per source per second: a flood bans its source, others are served', async () => {
  const s = await setup({ rate: { requestsPerSecond: 20, banSeconds: 2 } });
  try {
    for (let i = 0; i < 40; i++) s.attacker.send(requestText(s.attacker.port), s.udp);
    await waitFor(() => s.engine.limitCounters.limits['sip-rate-ban'] === 1);
    await expectSilence(s.attacker, s);
    await expectStatus(s.bystander, s, 200);
    // The ban is temporary.
    await new Promise((resolve) => setTimeout(resolve, 2200));
    await expectStatus(s.attacker, s, 200);
  } finally {
    await teardown(s);
  }
});

test('a banned source loses its TCP connections and cannot open new ones', async () => {
  const s = await setup({ rate: { requestsPerSecond: 5, banSeconds: 30 } });
  try {
    const socket = await tcpConnect(s.tcp);
    const gone = closed(socket);
    for (let i = 0; i < 20; i++)
      socket.write(
        requestText(1, { headers: { Via: `SIP/2.0/TCP 127.0.0.1:1;branch=z9hG4bKt${i}` } }),
      );
    expect(await gone).toBe(true);
    const again = await tcpConnect(s.tcp).catch(() => undefined);
    if (again) expect(await closed(again)).toBe(true);
    await expectStatus(s.bystander, s, 200);
  } finally {
    await teardown(s);
  }
});

test('TCP connections per address: beyond the cap they are closed, another address still connects', async () => {
  const s = await setup({ maxConnectionsPerAddress: 5 });
  try {
    const sockets = await Promise.all(Array.from({ length: 8 }, () => tcpConnect(s.tcp)));
    const states = await Promise.all(sockets.map((socket) => closed(socket, 1000)));
    expect(states.filter(Boolean)).toHaveLength(3);
    expect(s.engine.limitCounters.limits['sip-tcp-connections-per-address']).toBe(3);
    const other = await tcpConnect(s.tcp, '127.0.0.2');
    expect(await closed(other, 500)).toBe(false);
    for (const socket of [...sockets, other]) socket.destroy();
  } finally {
    await teardown(s);
  }
});

test('TCP connections in total: beyond the cap new ones are closed', async () => {
  const s = await setup({ maxConnections: 4 });
  try {
    const sockets = await Promise.all(Array.from({ length: 6 }, () => tcpConnect(s.tcp)));
    const states = await Promise.all(sockets.map((socket) => closed(socket, 1000)));
    expect(states.filter(Boolean)).toHaveLength(2);
    expect(s.engine.limitCounters.limits['sip-tcp-connections-total']).toBe(2);
    for (const socket of sockets) socket.destroy();
    await expectStatus(s.bystander, s, 200);
  } finally {
    await teardown(s);
  }
});

test('message size per transport: a larger UDP message gets 513', async () => {
  const s = await setup({ maxMessageSize: { udp: 1500 } });
  try {
    await expectStatus(
      s.attacker,
      s,
      513,
      requestText(s.attacker.port, { body: 'x'.repeat(2000) }),
    );
    expect(s.engine.limitCounters.limits['sip-message-size']).toBe(1);
    await expectStatus(s.attacker, s, 200);
  } finally {
    await teardown(s);
  }
});

test('message size per transport: a larger TCP message gets 513 over its connection', async () => {
  const s = await setup({ maxMessageSize: { tcp: 2000 } });
  const socket = await tcpConnect(s.tcp);
  try {
    const received: string[] = [];
    socket.on('data', (chunk: Buffer) => received.push(chunk.toString()));
    const big = requestText(s.attacker.port, { body: 'x'.repeat(3000) });
    socket.write(big.replace('SIP/2.0/UDP', 'SIP/2.0/TCP'));
    await waitFor(() => /^SIP\/2\.0 513 /m.test(received.join('')));
    expect(s.engine.limitCounters.limits['sip-message-size']).toBe(1);
    // The TCP bound is the TCP transport's: the same message over UDP is within UDP's.
    await expectStatus(
      s.attacker,
      s,
      200,
      requestText(s.attacker.port, { body: 'x'.repeat(3000) }),
    );
  } finally {
    socket.destroy();
    await teardown(s);
  }
});

test('header count: more fields than allowed get 513', async () => {
  const s = await setup({ maxHeaders: 20 });
  try {
    const headers = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`X-Extra-${i}`, 'y']));
    await expectStatus(s.attacker, s, 513, requestText(s.attacker.port, { headers }));
    expect(s.engine.limitCounters.limits['sip-header-count']).toBe(1);
    await expectStatus(s.attacker, s, 200);
  } finally {
    await teardown(s);
  }
});

test('scanner filter (defaults): friendly-scanner is rejected 403 on UDP, sipvicious in To too', async () => {
  const s = await setup({});
  try {
    await expectStatus(
      s.attacker,
      s,
      403,
      requestText(s.attacker.port, { headers: { 'User-Agent': 'friendly-scanner' } }),
    );
    await expectStatus(
      s.attacker,
      s,
      403,
      requestText(s.attacker.port, { headers: { To: '<sip:100@sipvicious.example>' } }),
    );
    expect(s.engine.limitCounters.limits['sip-scanner']).toBe(2);
    expect(s.app.requests).toHaveLength(0);
    await expectStatus(
      s.attacker,
      s,
      200,
      requestText(s.attacker.port, { headers: { 'User-Agent': 'Linphone/5' } }),
    );
  } finally {
    await teardown(s);
  }
});

test('scanner filter with action discard: dropped silently', async () => {
  const s = await setup({ scanners: { action: 'discard', headers: { 'User-Agent': ['sipcli'] } } });
  try {
    const from = s.attacker.received.length;
    s.attacker.send(
      requestText(s.attacker.port, { headers: { 'User-Agent': 'SIPCLI/v1.8' } }),
      s.udp,
    );
    await waitFor(() => s.engine.limitCounters.limits['sip-scanner'] === 1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(s.attacker.received.slice(from)).toEqual([]);
    await expectStatus(s.attacker, s, 200);
  } finally {
    await teardown(s);
  }
});

test('in-flight transactions per source: beyond the cap new requests get 503', async () => {
  const s = await setup({ maxTransactionsPerSource: 3 });
  try {
    s.app.reset(() => undefined); // never answered: the transactions stay in flight
    for (let i = 0; i < 3; i++) s.attacker.send(requestText(s.attacker.port), s.udp);
    await waitFor(() => s.app.requests.length === 3);
    await expectStatus(s.attacker, s, 503);
    expect(s.engine.limitCounters.limits['sip-transactions-per-source']).toBe(1);
    s.app.reset();
    await expectStatus(s.bystander, s, 200);
  } finally {
    await teardown(s);
  }
});

test('in-flight means unanswered: answered transactions lingering for retransmissions do not count', async () => {
  const s = await setup({ maxTransactionsPerSource: 3 });
  try {
    // Each is answered at once, then lingers 32 s (Timer J over UDP): twice the cap of them.
    for (let i = 0; i < 6; i++) await expectStatus(s.attacker, s, 200);
    expect(s.engine.limitCounters.limits['sip-transactions-per-source']).toBe(0);
  } finally {
    await teardown(s);
  }
});

test('Redis blocklist: listed addresses are dropped, refreshed periodically', async () => {
  const redis = new Redis({ host: '127.0.0.1', port: 6379 });
  const key = `drachtio-test-blocklist-${process.pid}-${Date.now()}`;
  await redis.sadd(key, '127.0.0.9');
  const s = await setup({ blacklist: { redisKey: key, refreshSecs: 1 } });
  try {
    await expectStatus(s.attacker, s, 200);
    await redis.sadd(key, '127.0.0.1');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await expectSilence(s.attacker, s);
    expect(s.engine.limitCounters.limits['sip-blocklist']).toBeGreaterThan(0);
    const blockedTcp = await tcpConnect(s.tcp).catch(() => undefined);
    if (blockedTcp) expect(await closed(blockedTcp)).toBe(true);
    await expectStatus(s.bystander, s, 200);
  } finally {
    await teardown(s);
    await redis.del(key);
    redis.disconnect();
  }
});
