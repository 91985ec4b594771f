// Parser throughput: drachtio-sip against the `sip` npm package on the same INVITE bytes, in the
// same process, in alternating rounds, reporting the median messages per CPU-second of each and
// the median of the per-round speedups.
//   (a) start line only: parse, read the method;
//   (b) all headers read: parse, read every header (typed where the parser has a type), the body;
//   (c) like (b), but drachtio-sip types only the headers the `sip` package types (the same work).
// Run directly (`node bench/parser/run.mjs`) to print the table; bench/run.mjs imports runParserBench().
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { INVITE } from './messages.mjs';

const require = createRequire(import.meta.url);
const drachtioSip = require('drachtio-sip');
const sipPackage = require('sip');

const ROUNDS = 7;
const MODES = ['startLine', 'allHeaders', 'sameHeaders'];
const ROUND_MS = 300;

/** Header names as application code passes them: string constants, not slices of each message. */
function headerNamesOf(bytes) {
  return [...new Set(drachtioSip.parseMessage(bytes).headerFields.map((field) => field.key))];
}
let headerNames = headerNamesOf(INVITE);

/** The headers `sip` parses into structures; it leaves all others as strings. */
const SIP_PACKAGE_TYPED = new Set([
  'to',
  'from',
  'contact',
  'route',
  'record-route',
  'path',
  'cseq',
  'content-length',
  'via',
  'www-authenticate',
  'proxy-authenticate',
  'authorization',
  'proxy-authorization',
  'authentication-info',
  'refer-to',
]);

const cases = {
  'drachtio-sip': {
    startLine(bytes) {
      return drachtioSip.parseMessage(bytes).method;
    },
    allHeaders(bytes) {
      const msg = drachtioSip.parseMessage(bytes);
      let n = msg.method.length + msg.body.length;
      for (const name of headerNames) if (msg.get(name) !== undefined) n++;
      return n;
    },
    sameHeaders(bytes) {
      const msg = drachtioSip.parseMessage(bytes);
      let n = msg.method.length + msg.body.length;
      for (const name of headerNames)
        if ((SIP_PACKAGE_TYPED.has(name) ? msg.get(name) : msg.getHeader(name)) !== undefined) n++;
      return n;
    },
  },
  sip: {
    startLine(bytes) {
      return sipPackage.parse(bytes).method;
    },
    allHeaders(bytes) {
      const msg = sipPackage.parse(bytes);
      let n = msg.method.length + msg.content.length;
      for (const name in msg.headers) if (msg.headers[name] !== undefined) n++;
      return n;
    },
    sameHeaders(bytes) {
      return this.allHeaders(bytes);
    },
  },
};

/**
 * Messages per second of CPU time of `fn` over one round of about ROUND_MS. CPU time rather than
 * wall time, so that other processes competing for the cores do not count against either parser.
 */
function round(fn, bytes) {
  let sink = 0;
  let count = 0;
  const deadline = process.hrtime.bigint() + BigInt(ROUND_MS) * 1_000_000n;
  const cpuStart = process.cpuUsage();
  while (process.hrtime.bigint() < deadline) {
    for (let i = 0; i < 200; i++) sink += typeof fn(bytes) === 'number' ? 1 : 2;
    count += 200;
  }
  const cpu = process.cpuUsage(cpuStart);
  if (sink === 0) throw new Error('unreachable: keeps the results alive');
  return (count * 1e6) / (cpu.user + cpu.system);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

export function runParserBench({ rounds = ROUNDS, bytes = INVITE } = {}) {
  headerNames = headerNamesOf(bytes);
  const samples = {};
  for (const parser of Object.keys(cases))
    samples[parser] = { startLine: [], allHeaders: [], sameHeaders: [] };
  // warm-up, then rounds in which the parsers take turns on each case, back to back, so that
  // what else the machine is doing hits both alike
  for (const parser of Object.keys(cases))
    for (const mode of MODES) round(cases[parser][mode].bind(cases[parser]), bytes);
  for (let r = 0; r < rounds; r++) {
    for (const mode of MODES) {
      for (const parser of Object.keys(cases))
        samples[parser][mode].push(round(cases[parser][mode].bind(cases[parser]), bytes));
    }
  }
  const result = { messageBytes: bytes.length, rounds, parsers: {} };
  for (const parser of Object.keys(cases)) {
    result.parsers[parser] = Object.fromEntries(
      MODES.map((mode) => [mode, Math.round(median(samples[parser][mode]))]),
    );
  }
  // the median of each round's ratio: a round's two samples ran a fraction of a second apart,
  // under the same load, so their ratio varies far less than either rate does across rounds
  const ours = samples['drachtio-sip'];
  const theirs = samples.sip;
  result.speedup = Object.fromEntries(
    MODES.map((mode) => {
      const ratios = ours[mode].map((rate, r) => rate / theirs[mode][r]);
      return [mode, Math.round(median(ratios) * 100) / 100];
    }),
  );
  return result;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = runParserBench();
  const fmt = (n) => n.toLocaleString('en-US').padStart(13);
  console.log(
    `parser bench: ${result.messageBytes}-byte INVITE, median of ${result.rounds} rounds of ${ROUND_MS} ms, messages per CPU-second; speedup: median of the rounds' ratios`,
  );
  console.log(
    `${'parser'.padEnd(14)}${'start line'.padStart(13)}${'all headers'.padStart(13)}${'same as sip'.padStart(13)}`,
  );
  for (const [name, r] of Object.entries(result.parsers))
    console.log(`${name.padEnd(14)}${MODES.map((m) => fmt(r[m])).join('')}`);
  console.log(
    `${'speedup'.padEnd(14)}${MODES.map((m) => `${result.speedup[m]}x`.padStart(13)).join('')}`,
  );
}
