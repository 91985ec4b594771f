// One sipp UAC run against a system, with the CPU of every process of the system (and of sipp)
// measured over it and the datagrams their sockets dropped; and a system started fresh and
// warmed up, for the steps that must not inherit an earlier step's backlog.
import { droppedDatagrams, startCpuMeter, udpDrops } from './proc.mjs';
import { runSippUac } from './sipp.mjs';
import { sleep } from './climb.mjs';

/** Calls at the step's rate before a fresh system is measured: V8 compiles the hot paths. */
const WARM_UP_SECONDS = 2;

/** runSippUac's `options` against `system`; resolves to { sipp, cpu, drops }. */
export async function measuredSippRun(system, options) {
  let stopMeter;
  // Processes sharing one socket (Kamailio's workers) list it once here.
  const socketOwners = system.socketOwners ?? system.processes;
  const dropsBefore = socketOwners.map(({ pid }) => udpDrops(pid));
  const sipp = await runSippUac({
    remote: system.remote,
    scenario: system.uacScenario,
    ...options,
    onStart: (pid) => (stopMeter = startCpuMeter([{ name: 'sipp-uac', pid }, ...system.processes])),
  });
  const cpu = stopMeter();
  return { sipp, cpu, drops: droppedDatagrams(socketOwners, dropsBefore) };
}

/**
 * A new instance of the registry's `entry`, after a short run at `rate` whose results are
 * discarded; the caller stops it. Its processes hold no backlog of an earlier step.
 */
export async function startWarm(entry, rate) {
  const system = await entry.start();
  try {
    await warmUp(system.remote, rate, system.uacScenario);
    return system;
  } catch (error) {
    await system.stop();
    throw error;
  }
}

/** A short run at `rate` against `remote`, its results discarded, then a second's rest. */
export async function warmUp(remote, rate, scenario) {
  const calls = Math.max(1, Math.round(rate * WARM_UP_SECONDS));
  await runSippUac({ remote, scenario, rate, calls });
  await sleep(1000);
}
