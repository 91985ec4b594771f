// Heap per lingering server transaction: after a call (INVITE, 200, ACK, BYE, 200) its INVITE
// (Accepted, Timer L) and its BYE (Completed, Timer J) linger 32 s each to absorb
// retransmissions, with no dialog left. An in-process Engine answers sipp's built-in UAC; T1 is
// raised to 2 s so nothing stops lingering (128 s) while it is read. The reading is heapUsed +
// external after a full GC, minus the same after a warm-up, divided by the transactions added;
// apart, the V8 heap alone, and the bytes the linger store holds outside it (its segments and
// indexes, which `external` counts too) as the engine reports them.
//
//   node linger-heap.mjs [calls] [rate]        (default 5000 calls at 500 calls/s)
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { runSippUac } from './lib/sipp.mjs';
import { ANSWER_SDP } from './targets/control.mjs';

const calls = Number(process.argv[2] ?? 5000);
const rate = Number(process.argv[3] ?? 500);

const { Engine } = (await import('drachtio-server-ts')).default;
const engine = new Engine({
  contacts: ['sip:127.0.0.1:0;transport=udp'],
  timers: { t1: 2000, t2: 4000 },
  protection: { exempt: ['127.0.0.1'] },
});
engine.on('request', (request) => {
  if (request.method === 'ACK') return;
  const body = request.method === 'INVITE' ? ANSWER_SDP : undefined;
  const headers = body ? { 'content-type': 'application/sdp' } : undefined;
  void engine.respond({ transactionId: request.transactionId, status: 200, headers, body });
});
await engine.start();
const remote = /^sip:([^;]+)/.exec(engine.contacts[0])[1];

const warmUp = await runSippUac({ remote, rate: Math.min(rate, 250), calls: 500 });
if (warmUp.failedCalls > 0) throw new Error(`warm-up calls failed: ${warmUp.errorLog}`);
const before = await reading();
const run = await runSippUac({ remote, rate, calls });
const after = await reading();
const states = engine.transactionStates().server;
await engine.stop();

const lingering = after.transactions - before.transactions;
const bytes = after.bytes - before.bytes;
console.log(
  JSON.stringify({
    calls: run.successfulCalls,
    failedCalls: run.failedCalls,
    lingeringAdded: lingering,
    dialogsLeft: after.dialogs,
    states,
    heapBytesAdded: bytes,
    bytesPerLingeringTransaction: Math.round(bytes / lingering),
    v8HeapPerLingeringTransaction: Math.round((after.heap - before.heap) / lingering),
    storeBytesPerLingeringTransaction: Math.round((after.store - before.store) / lingering),
  }),
);

async function reading() {
  await new Promise((resolve) => setTimeout(resolve, 1000)); // the last BYE's 200
  setFlagsFromString('--expose-gc');
  runInNewContext('gc')();
  const { heapUsed, external } = process.memoryUsage();
  const { serverTransactions, dialogs } = engine.stats;
  return {
    bytes: heapUsed + external,
    heap: heapUsed,
    store: engine.lingeringBytes,
    transactions: serverTransactions,
    dialogs,
  };
}
