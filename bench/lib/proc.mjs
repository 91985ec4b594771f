// CPU and memory of processes, read from Linux's /proc so every process (node or sipp) is
// measured the same way and nothing is added to the processes being measured.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { readIfPresent } from './files.mjs';

const CLOCK_TICKS_PER_SECOND = readClockTicks();

function readClockTicks() {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
}

/** CPU seconds (user + system) a process has used so far; undefined once it is gone. */
export function cpuSeconds(pid) {
  let stat;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) may contain spaces, so count fields after its closing parenthesis:
  // field 3 (state) is index 0 there, utime (field 14) index 11, stime (field 15) index 12.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

/** Resident set size in bytes, or undefined once the process is gone. */
export function rssBytes(pid) {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Busy and total CPU time of the whole machine (all cores), in clock ticks. */
function machineTicks() {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const ticks = values.slice(0, 8).map(Number); // user nice system idle iowait irq softirq steal
  const total = ticks.reduce((sum, value) => sum + value, 0);
  return { busy: total - ticks[3] - ticks[4], total };
}

/**
 * Measures, over an interval, the CPU each named process used (percent of one core) and how
 * busy the whole machine was (percent of all cores): the difference shows other load on a
 * shared machine. Processes are polled, so one that exits during the interval (sipp does)
 * is counted up to its last reading.
 */
export function startCpuMeter(processes, pollMs = 200) {
  const startedAt = process.hrtime.bigint();
  const machineAtStart = machineTicks();
  const first = processes.map(({ pid }) => cpuSeconds(pid));
  const last = [...first];
  const poll = () =>
    processes.forEach(({ pid }, index) => {
      const now = cpuSeconds(pid);
      if (now !== undefined) last[index] = now;
    });
  const timer = setInterval(poll, pollMs);
  return function stop() {
    clearInterval(timer);
    poll();
    const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
    const machine = machineTicks();
    const perProcess = {};
    processes.forEach(({ name }, index) => {
      const used = first[index] === undefined ? undefined : last[index] - first[index];
      perProcess[name] = used === undefined ? null : round((100 * used) / seconds, 1);
    });
    const busyTicks = machine.busy - machineAtStart.busy;
    const machineBusy = (100 * busyTicks) / Math.max(1, machine.total - machineAtStart.total);
    return {
      seconds: round(seconds, 2),
      processes: perProcess,
      machineBusyPercent: round(machineBusy, 1),
    };
  };
}

export function round(value, digits = 0) {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/**
 * UDP datagrams the kernel dropped for a process's sockets because their receive buffer was
 * full (the `drops` column of /proc/net/udp for the socket inodes the process holds): the first
 * sign of a process that cannot keep up. Undefined once the process is gone.
 */
export function udpDrops(pid) {
  let inodes;
  try {
    inodes = new Set(
      readdirSync(`/proc/${pid}/fd`)
        .map((fd) => /^socket:\[(\d+)\]$/.exec(readlinkOrEmpty(`/proc/${pid}/fd/${fd}`))?.[1])
        .filter(Boolean),
    );
  } catch {
    return undefined;
  }
  let drops = 0;
  for (const table of ['udp', 'udp6']) {
    for (const line of readIfPresent(`/proc/${pid}/net/${table}`).split('\n').slice(1)) {
      const fields = line.trim().split(/\s+/);
      // sl local rem st tx:rx tr:when retrnsmt uid timeout inode ref pointer drops
      if (fields.length >= 13 && inodes.has(fields[9])) drops += Number(fields[12]);
    }
  }
  return drops;
}

/** Datagrams each process's UDP sockets lost to a full receive buffer since `before` (their udpDrops; 0 for one that is gone). */
export function droppedDatagrams(processes, before) {
  return Object.fromEntries(
    processes.map(({ name, pid }, index) => {
      const after = udpDrops(pid);
      return [name, after === undefined || before[index] === undefined ? 0 : after - before[index]];
    }),
  );
}

function readlinkOrEmpty(path) {
  try {
    return readlinkSync(path);
  } catch {
    return '';
  }
}
