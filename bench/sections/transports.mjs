// Transports: the call-rate climb of section 1 against (a) over UDP, TCP and TLS, with one load
// generator of our own (lib/sip-load.mjs) for all three, since Debian's sipp has no TLS. The
// same generator on every transport is what makes the three comparable; its numbers are not
// sipp's (section 1), which uses a different UAC.
import { climb, perCall, sleep, summarize } from '../lib/climb.mjs';
import { startTarget } from '../lib/node-process.mjs';
import { droppedDatagrams, startCpuMeter, udpDrops } from '../lib/proc.mjs';
import { startApp, startServer } from '../lib/systems.mjs';
import { createTestCa } from 'drachtio-test-kit';

export const TRANSPORTS = ['udp', 'tcp', 'tls'];
/** The 503's Retry-After: no caller told to wait is back before it. */
const BETWEEN_CLIMBS_MS = 5000;

export async function runTransports({ steps, stepSeconds, transports = TRANSPORTS, log }) {
  const ca = createTestCa();
  const started = [];
  const start = async (promise) => {
    const part = await promise;
    started.push(part);
    return part;
  };
  try {
    const server = await start(
      startServer(['--tls-cert', ca.serverCert, '--tls-key', ca.serverKey]),
    );
    const app = await start(startApp('app', server, ['--mode', 'uas']));
    const load = await start(startTarget('load', 'load.mjs', ['--ca', ca.caCert]));
    const processes = [load, server, app].map(({ name, pid }) => ({ name, pid }));
    const results = [];
    for (const [index, transport] of transports.entries()) {
      // The climb before ended past capacity: its overload refusals and backlog go first.
      if (index > 0) await sleep(BETWEEN_CLIMBS_MS);
      const label = `(a) over ${transport.toUpperCase()}`;
      log(`transports: ${label}`);
      const port = portOf(server.info.contacts, transport);
      const ran = await climb(steps, (rate) =>
        runStep({ load, processes, transport, port, rate, stepSeconds, log }),
      );
      results.push({
        kind: transport,
        label,
        description: `bench/lib/sip-load.mjs over ${transport.toUpperCase()} to drachtio-server-ts + the drachtio app (UAS)`,
        ...summarize(ran),
      });
    }
    return results;
  } finally {
    // The load and the app before the server, as in lib/systems.mjs.
    for (const part of started.reverse()) await part.stop();
    ca.remove();
  }
}

async function runStep({ load, processes, transport, port, rate, stepSeconds, log }) {
  const calls = Math.max(1, Math.round(rate * stepSeconds));
  const dropsBefore = processes.map(({ pid }) => udpDrops(pid));
  const stopMeter = startCpuMeter(processes);
  const run = await load.ask('run', { transport, port, rate, calls });
  const cpu = stopMeter();
  const drops = droppedDatagrams(processes, dropsBefore);
  const problems = [];
  if (run.error) problems.push(run.error);
  else {
    if (run.wireError) problems.push(`connection: ${run.wireError}`);
    if (run.failed > 0) problems.push(`${run.failed} failed${list(run.failures)}`);
    if (run.timeouts > 0) problems.push(`${run.timeouts} timeouts`);
    if (run.completed < calls) problems.push(`${calls - run.completed} not completed`);
    if (run.retransmissions > 0) problems.push(`${run.retransmissions} retransmissions`);
    if (run.duplicates + run.stray > 0)
      problems.push(`${run.duplicates + run.stray} responses received again or late`);
    if (run.late > 0) problems.push(`${run.late} final responses later than 500 ms`);
    // Any other way a completed call was not clean (none today) still shows here.
    if (run.clean < run.completed && problems.length === 0)
      problems.push(`${run.completed - run.clean} completed calls not clean`);
    if (generatorShort(run, rate)) problems.push(`offered only ${run.achievedRate.toFixed(0)}/s`);
  }
  for (const [name, count] of Object.entries(drops))
    if (count > 0) problems.push(`${name} dropped ${count} datagrams (receive buffer full)`);
  const setupMs = run.setupMs ?? { p50: null, p99: null };
  const step = {
    rate,
    calls,
    clean: problems.length === 0,
    generatorShort: generatorShort(run, rate),
    problems,
    achievedRate: Math.round(run.achievedRate ?? 0),
    successfulCalls: run.completed ?? 0,
    cleanCalls: run.clean ?? 0,
    failedCalls: (run.failed ?? 0) + (run.timeouts ?? 0),
    retransmissions: run.retransmissions ?? 0,
    setupMs,
    cpuPercent: cpu.processes,
    cpuMicrosPerCall: perCall(cpu.processes, (run.completed ?? 0) / cpu.seconds),
    machineBusyPercent: cpu.machineBusyPercent,
    udpDrops: drops,
    seconds: cpu.seconds,
  };
  const cpuText = Object.entries(cpu.processes)
    .map(([name, value]) => `${name} ${value}%`)
    .join(', ');
  log(
    `  ${String(rate).padStart(5)} cps: ${step.clean ? 'clean' : problems.join(', ')}; ` +
      `setup p50 ${setupMs.p50} ms p99 ${setupMs.p99} ms; CPU ${cpuText}; machine ${cpu.machineBusyPercent}%`,
  );
  return step;
}

/** The generator placed calls slower than asked: it, or the machine, fell behind. */
function generatorShort(run, rate) {
  return !run.error && run.achievedRate < rate * 0.9;
}

/** The port of the contact carrying `transport` ('sip:127.0.0.1:5060;transport=udp,tcp' carries udp and tcp). */
function portOf(contacts, transport) {
  for (const contact of contacts) {
    const match = /^sips?:[^;>]*:(\d+);transport=([\w,]+)/.exec(contact);
    if (match && match[2].split(',').includes(transport)) return Number(match[1]);
  }
  throw new Error(`the server has no ${transport} contact: ${contacts.join(', ')}`);
}

/** ' (486 x 3)' for the statuses or reasons calls failed with. */
function list(failures) {
  const parts = Object.entries(failures).map(([what, count]) => `${what} x ${count}`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}
