/**
 * The daemon's life: scrape port, server, observability, pid file and user, in that order
 * (ports are bound as root, then privileges go); then the signals. Anything that keeps it from
 * starting is a StartupError or ConfigError whose message is the one line printed.
 */
import type { Logger } from 'pino';
import { ConfigError, SERVER_VERSION, type CliFlags, type DaemonConfig } from '../config';
import { listenForScrapes, Observability, type ScrapeEndpoint } from '../observability';
import { createServer, describeListenError, StartupError, type DrachtioServer } from '../server';
import { DaemonLogger } from './daemon-logger';
import { Drain, type DrainSummary } from './drain';
import { removePidFile, writePidFile } from './pid-file';
import { reload } from './reload';
import { runAs } from './run-as';

export interface RunningDaemon {
  server: DrachtioServer;
  logger: Logger;
  /** Settles when a stop signal has drained and closed everything: the exit code. */
  stopped: Promise<number>;
}

export async function startDaemon(
  name: string,
  config: DaemonConfig,
  flags: CliFlags,
): Promise<RunningDaemon> {
  const log = new DaemonLogger(name, config.logLevel, config.logFile);
  const logger = log.logger;
  const scrape = config.prometheus
    ? await listenScrape(config.prometheus.address, config.prometheus.port)
    : undefined;
  let server: DrachtioServer;
  try {
    server = await createServer({ ...config, logger });
  } catch (err) {
    logger.fatal({ err }, (err as Error).message);
    await scrape?.close();
    throw err;
  }
  let observability: Observability;
  try {
    observability = await Observability.start(server, {
      sipTrace: config.sipTrace,
      homer: config.homer,
      metrics: scrape !== undefined,
      logger: logger.child({ layer: 'observability' }),
      traceLogger: log.pinnedChild({ layer: 'sip-trace' }, 'info'),
    });
    if (config.pidFile) writePidFile(config.pidFile);
    if (config.user) logger.info(runAs(config.user), `running as ${config.user}`);
  } catch (err) {
    await Promise.all([server.close(), scrape?.close()]);
    logger.fatal({ err }, (err as Error).message);
    throw err instanceof ConfigError || err instanceof StartupError
      ? err
      : new StartupError(`failed to start: ${(err as Error).message}`, { cause: err });
  }
  if (scrape) {
    scrape.registry = observability.metrics?.registry;
    scrape.health = 'ready';
  }
  logger.info(
    {
      admin: server.adminAddress,
      contacts: server.sipContacts,
      version: SERVER_VERSION,
      metrics: scrape && `${scrape.address.address}:${scrape.address.port}`,
      homer: config.homer,
    },
    `${name} started`,
  );

  const drain = new Drain(server, observability.dialogs, config.shutdown, logger);
  const stopped = new Promise<number>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      if (scrape) scrape.health = 'draining';
      drain.run()?.then(
        async (summary) => {
          await Promise.all([observability.close(), scrape?.close()]);
          if (config.pidFile) removePidFile(config.pidFile);
          logger.info({ signal, ...summary }, summaryLine(summary));
          log.flush();
          resolve(0);
        },
        (err: Error) => {
          logger.error({ err }, 'error while stopping');
          log.flush();
          resolve(1);
        },
      );
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
  process.on('SIGHUP', () =>
    reload({ flags, log, logger, observability, control: server.control }),
  );
  return { server, logger, stopped };
}

async function listenScrape(address: string, port: number): Promise<ScrapeEndpoint> {
  try {
    return await listenForScrapes(address, port);
  } catch (err) {
    throw new StartupError(
      `cannot serve metrics on ${address}:${port}: ${describeListenError(err)}`,
      { cause: err },
    );
  }
}

function summaryLine(summary: DrainSummary): string {
  return `stopped after draining ${summary.calls} calls in ${summary.ms} ms: ${summary.endedByThemselves} ended by themselves, ${summary.byes} ended with a BYE (${summary.byesAnswered} answered)`;
}
