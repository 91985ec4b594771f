/**
 * SIGHUP, as logrotate's postrotate and systemd's ExecReload send it: reopen the log file,
 * then apply what can change without dropping anything (log level, SIP trace, application
 * connection limits). Never exits: a config that no longer loads is logged and ignored, and
 * the running settings stay.
 */
import type { Logger } from 'pino';
import { ConfigError, loadConfig, type CliFlags } from '../config';
import type { ControlPlane } from '../control';
import type { Observability } from '../observability';
import type { DaemonLogger } from './daemon-logger';

export interface Reloadable {
  flags: CliFlags;
  log: DaemonLogger;
  logger: Logger;
  observability: Observability;
  control: ControlPlane;
}

export function reload({ flags, log, logger, observability, control }: Reloadable): void {
  const reopened = log.reopen();
  let config;
  try {
    config = loadConfig(flags);
  } catch (err) {
    const reason = err instanceof ConfigError ? err.message : (err as Error).message;
    logger.error(
      { reopened },
      `SIGHUP: configuration not reloaded, the running one stays: ${reason}`,
    );
    return;
  }
  log.setLevel(config.logLevel);
  observability.setTrace(config.sipTrace);
  control.updateLimits(config.limits ?? {});
  logger.info(
    { reopened, logLevel: config.logLevel, sipTrace: config.sipTrace, limits: config.limits ?? {} },
    'SIGHUP: configuration reloaded',
  );
}
