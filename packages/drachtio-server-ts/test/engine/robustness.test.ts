/**
 * Whatever arrives, the engine keeps serving: mangled datagrams and streams never crash it or
 * leave it unable to answer the next well-formed request.
 */
import { connect } from 'node:net';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import type { Engine } from '../../src/engine';
import { remoteOf, startEngine, TestApp } from './helpers';
import { requestText, UdpPeer } from './udp-client';

let engine: Engine;
let app: TestApp;
let peer: UdpPeer;
let udpPort: number;
let tcpPort: number;

beforeAll(async () => {
  // The peer floods from 127.0.0.1: exempt, so the fuzz reaches the parser instead of the rate limit.
  engine = await startEngine({ protection: { exempt: ['127.0.0.1'] } });
  app = new TestApp(engine);
  peer = await UdpPeer.open();
  udpPort = Number(remoteOf(engine, 'udp').split(':')[1]);
  tcpPort = Number(remoteOf(engine, 'tcp').split(':')[1]);
});
afterAll(async () => {
  await peer.close();
  await engine.stop();
});

/** A fresh OPTIONS gets its 200 (matched by branch, not confused with stray responses). */
async function expectServed(): Promise<void> {
  const from = peer.received.length;
  const probe = requestText(peer.port);
  peer.send(probe, udpPort);
  const branch = /branch=([^;\r\n]+)/.exec(probe)?.[1] ?? '';
  await peer.next(new RegExp(`^SIP/2.0 200 [^]*${branch}`), from);
}

/** Byte-level damage to a valid message: flips, cuts, insertions. */
const mangled = fc
  .record({
    method: fc.constantFrom('INVITE', 'OPTIONS', 'BYE', 'CANCEL', 'ACK', 'PRACK', 'SIP/2.0 200 OK'),
    edits: fc.array(
      fc.tuple(
        fc.nat(),
        fc.integer({ min: 0, max: 255 }),
        fc.constantFrom('flip', 'cut', 'insert'),
      ),
      { maxLength: 6 },
    ),
  })
  .map(({ method, edits }) => {
    let text = method.startsWith('SIP/')
      ? requestText(peer.port).replace(/^OPTIONS [^\r]*/, method)
      : requestText(peer.port, {
          method,
          headers: { RAck: '1 1 INVITE', 'Session-Expires': '1800' },
        });
    for (const [position, byte, kind] of edits) {
      const at = position % (text.length + 1);
      const char = String.fromCharCode(byte);
      if (kind === 'flip') text = text.slice(0, at) + char + text.slice(at + 1);
      else if (kind === 'cut') text = text.slice(0, at);
      else text = text.slice(0, at) + char + text.slice(at);
    }
    return text;
  });

test('mangled UDP datagrams: no crash, and the next request is served', async () => {
  app.reset(() => ({ status: 200 }));
  fc.assert(
    fc.property(mangled, (text) => {
      peer.send(text, udpPort);
    }),
    { numRuns: 300 },
  );
  await new Promise((resolve) => setTimeout(resolve, 300));
  await expectServed();
});

test('mangled TCP streams close their own connection only', async () => {
  const samples = fc.sample(mangled, 30);
  await Promise.all(
    samples.map(
      (text) =>
        new Promise<void>((resolve) => {
          const socket = connect(tcpPort, '127.0.0.1', () => {
            socket.write(text);
            socket.end();
          });
          socket.on('error', () => resolve());
          socket.on('close', () => resolve());
          socket.resume();
        }),
    ),
  );
  await expectServed();
});

/** A full collection, for a heap reading that is what is held and not what awaits collection. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

function heapUsed(): number {
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

async function drained(): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { serverTransactions, clientTransactions, dialogs } = engine.stats;
    if (serverTransactions + clientTransactions + dialogs === 0) return;
    if (Date.now() > deadline) throw new Error(`not drained: ${JSON.stringify(engine.stats)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test('10,000 mangled messages: the engine answers after, holds nothing, and its heap comes back', async () => {
  app.reset(() => ({ status: 200 }));
  await drained();
  peer.received.length = 0;
  app.requests.length = 0;
  const baseline = heapUsed();
  const seed = Date.now();
  // Paced, so that the messages reach the engine instead of overflowing the socket's buffer.
  const messages = fc.sample(mangled, { numRuns: 10_000, seed });
  for (let i = 0; i < messages.length; i += 100) {
    for (const text of messages.slice(i, i + 100)) peer.send(text, udpPort);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await drained();
  await expectServed();
  await drained();
  peer.received.length = 0;
  app.requests.length = 0;
  const grownKiB = Math.round((heapUsed() - baseline) / 1024);
  // Seeded: a failure names its seed, so the same messages can be sent again.
  if (grownKiB >= 4096) throw new Error(`the heap grew ${grownKiB} KiB (fast-check seed ${seed})`);
}, 120_000);
