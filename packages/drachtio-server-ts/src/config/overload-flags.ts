/**
 * --overload-target-delay laid over the config file's `sip.overload`: a delay in ms sets the
 * target, 0 turns overload control off.
 */
import { ConfigError } from './config-error';
import type { ServerOptions } from './server-options';

export interface OverloadFlags {
  overloadTargetDelay?: string;
}

type Sip = NonNullable<ServerOptions['sip']>;

export function withOverloadFlags(sip: Sip | undefined, flags: OverloadFlags): Sip | undefined {
  const value = flags.overloadTargetDelay;
  if (value === undefined) return sip;
  const delay = Number(value);
  if (!Number.isInteger(delay) || delay < 0 || delay > 10_000)
    throw new ConfigError(
      `--overload-target-delay must be whole ms from 0 (off) to 10000, not "${value}"`,
    );
  const overload =
    delay === 0 ? { enabled: false } : { ...sip?.overload, enabled: true, targetDelay: delay };
  return { ...sip, overload };
}
