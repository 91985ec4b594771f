// The machine a run was made on, so numbers are never read without it.
import { execFileSync } from 'node:child_process';
import { cpus, release, totalmem } from 'node:os';
import { SIPP } from './sipp.mjs';

export function describeMachine() {
  const cores = cpus();
  return {
    cores: cores.length,
    cpuModel: cores[0]?.model ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    kernel: release(),
    node: process.version,
    sipp: sippVersion(),
    date: new Date().toISOString(),
  };
}

function sippVersion() {
  try {
    const out = execFileSync(SIPP, ['-v'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return /SIPp v[\w.-]*\w/.exec(out)?.[0] ?? 'unknown';
  } catch (error) {
    // sipp -v exits non-zero after printing its version
    return /SIPp v[\w.-]*\w/.exec(String(error.stdout))?.[0] ?? 'unknown';
  }
}
