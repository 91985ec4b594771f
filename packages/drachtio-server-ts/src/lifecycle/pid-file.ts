/**
 * The pid file: written once the server listens, removed on a clean exit. One that names a
 * live process refuses the start (two daemons on one config); a stale one is replaced.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { ConfigError } from '../config';

export function writePidFile(path: string): void {
  const running = livePid(path);
  if (running !== undefined && running !== process.pid) {
    throw new ConfigError(
      `pid file ${path} names a running process (${running}): is another drachtio-server-ts running?`,
    );
  }
  try {
    writeFileSync(path, `${process.pid}\n`, { mode: 0o644 });
  } catch (err) {
    throw new ConfigError(
      `cannot write pid file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
}

/** Best effort: after dropping privileges the directory may no longer be ours. */
export function removePidFile(path: string): void {
  if (livePid(path) === process.pid) rmSync(path, { force: true });
}

function livePid(path: string): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(path, 'utf8').slice(0, 32).trim());
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM' ? pid : undefined;
  }
}
