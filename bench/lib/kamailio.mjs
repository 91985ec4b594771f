// Kamailio as a peer: started with one of kamailio/*.cfg in the foreground (-DD), measured with
// all its worker processes: t_relay.cfg for the proxy section, uas.cfg for section 1. Missing
// binary: the caller reports the peer as not run, and the section carries on.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freeUdpPort } from './ports.mjs';

const CONFIGS = join(dirname(fileURLToPath(import.meta.url)), '..', 'kamailio');
export const KAMAILIO = process.env.KAMAILIO_BINARY ?? 'kamailio';

/** Why Kamailio cannot run here, or undefined when it can. */
export function kamailioMissing() {
  return spawnSync(KAMAILIO, ['-v']).error
    ? `${KAMAILIO} not installed (apt-get install kamailio, or set KAMAILIO_BINARY)`
    : undefined;
}

/**
 * Kamailio running kamailio/<config>, with `defines` ({ NAME: 'value' }) passed as -A NAME="value"
 * (t_relay.cfg's DESTINATION); resolves once its workers are up.
 */
export async function startKamailio(config, defines = {}) {
  const port = await freeUdpPort();
  const dir = mkdtempSync(join(tmpdir(), 'bench-kamailio-'));
  const child = spawn(
    KAMAILIO,
    [
      '-f',
      join(CONFIGS, config),
      '-DD',
      '-E',
      '-l',
      `udp:127.0.0.1:${port}`,
      ...Object.entries(defines).flatMap(([name, value]) => ['-A', `${name}="${value}"`]),
      // Shared memory, MiB. tm clones each request into it and keeps the transaction 5 s after
      // its final (wait timer): at 256 MiB Kamailio ran out past about 1,800 calls/s and dropped
      // INVITEs ("new_t(): out of mem"), which the run of 2026-12-05 14:37 UTC took for its limit.
      '-m',
      '2048',
      '-M',
      '16',
      '-P',
      join(dir, 'pid'),
      '-Y',
      dir,
      '-w',
      dir,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const keep = (chunk) => (output = (output + chunk).slice(-8000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  // Ready once its workers are forked and the UDP socket is bound.
  for (let i = 0; i < 100 && children(child.pid).length < 2; i++) {
    if (child.exitCode !== null) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  if (child.exitCode !== null || children(child.pid).length === 0) {
    child.kill('SIGKILL');
    throw Object.assign(new Error('kamailio did not start'), { detail: output });
  }
  return {
    pid: child.pid,
    hostport: `127.0.0.1:${port}`,
    /** The main process and its workers (the CPU of all of them is Kamailio's). */
    pids: () => [child.pid, ...children(child.pid)],
    async stop() {
      child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(force);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Pids whose parent is `pid`, from /proc. */
function children(pid) {
  const found = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === pid)
        found.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}
