/**
 * --user: bind the ports as root, then carry on as an unprivileged user (the C++
 * drachtio-server's --user). The group is the one given after a colon, else the user's own.
 */
import { readFileSync } from 'node:fs';
import { ConfigError } from '../config';

export function runAs(spec: string): { uid: number; gid: number } {
  const [user = '', group] = spec.split(':');
  if (typeof process.setuid !== 'function' || typeof process.getuid !== 'function') {
    throw new ConfigError('--user is not supported on this platform');
  }
  if (process.getuid() !== 0)
    throw new ConfigError(`--user ${spec} needs the daemon to start as root`);
  const gid = group ?? primaryGroup(user);
  try {
    // Supplementary groups too, or the process keeps root's (initgroups is POSIX-only, hence optional).
    (
      process as NodeJS.Process & { initgroups?: (user: string, group: string | number) => void }
    ).initgroups?.(user, gid);
    process.setgid?.(gid);
    process.setuid(user);
  } catch (err) {
    throw new ConfigError(`cannot run as ${spec}: ${(err as Error).message}`);
  }
  return { uid: process.getuid(), gid: process.getgid?.() ?? -1 };
}

/** The user's primary group from /etc/passwd (Node has no getpwnam). */
function primaryGroup(user: string): number {
  let passwd = '';
  try {
    passwd = readFileSync('/etc/passwd', 'utf8');
  } catch {
    // fall through to the error below
  }
  const entry = passwd.split('\n').find((line) => line.startsWith(`${user}:`));
  const gid = Number(entry?.split(':')[3]);
  if (!entry || !Number.isInteger(gid)) throw new ConfigError(`unknown user '${user}' for --user`);
  return gid;
}
