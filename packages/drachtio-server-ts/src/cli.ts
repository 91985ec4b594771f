#!/usr/bin/env node
/**
 * The drachtio-server-ts daemon. Takes drachtio-server's own flags where they apply; settings
 * come from defaults < JSON config file < DRACHTIO_* environment < flags. Anything that keeps
 * it from starting is reported as one line on stderr with a non-zero exit.
 */
import { spawn } from 'node:child_process';
import { Command } from 'commander';
import pino, { type Logger } from 'pino';
import { ConfigError, loadConfig, SERVER_VERSION, type CliFlags, type DaemonConfig } from './config';
import { createServer, StartupError, type DrachtioServer } from './server';

const NAME = 'drachtio-server-ts';
/** Set in the environment of the background process that --daemon starts. */
const DAEMON_CHILD = 'DRACHTIO_DAEMON_CHILD';

function parseFlags(argv: string[]): CliFlags & { daemon?: boolean } {
  const program = new Command(NAME)
    .description('The drachtio SIP server: SIP on the contacts, applications on the admin port.')
    .version(SERVER_VERSION, '-v, --version', 'print the version and exit')
    .option('-f, --file <path>', 'JSON config file (also DRACHTIO_CONFIG)')
    .option('-p, --port <port>', 'admin port applications connect to (default 8022)')
    .option('--address <address>', 'admin address (default 127.0.0.1)')
    .option('--secret <secret>', 'shared secret applications authenticate with')
    .option('-c, --contact <uri>', 'SIP contact to listen on, repeatable (default sip:*:5060;transport=udp,tcp)', collect)
    .option('-l, --loglevel <level>', 'fatal, error, warn, info, debug, trace or silent (default info)')
    .option('--noconfig', 'ignore any config file')
    .option('--daemon', 'run in the background')
    .helpOption('-h, --help', 'show this help')
    .allowExcessArguments(false)
    .parse(argv);
  return program.opts();
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function fail(message: string): never {
  process.stderr.write(`${NAME}: ${message}\n`);
  process.exit(1);
}

function createLogger(config: DaemonConfig): Logger {
  const destination = config.logFile ? pino.destination({ dest: config.logFile, append: true, mkdir: true }) : pino.destination(1);
  return pino({ level: config.logLevel, base: { name: NAME, pid: process.pid } }, destination);
}

/** --daemon: the same command again, detached; the parent waits for it to report start-up. */
function daemonize(argv: string[]): void {
  const args = argv.slice(2).filter((arg) => arg !== '--daemon');
  const child = spawn(process.execPath, [argv[1], ...args], {
    detached: true,
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    env: { ...process.env, [DAEMON_CHILD]: '1' },
  });
  child.once('message', (message: { ok: boolean; error?: string }) => {
    if (!message.ok) fail(message.error ?? 'failed to start');
    process.stdout.write(`${NAME}: running in the background, pid ${child.pid}\n`);
    child.disconnect();
    child.unref();
    process.exit(0);
  });
  child.once('exit', (code) => fail(`background process exited with code ${code} before it started`));
}

function stopOnSignals(server: DrachtioServer, logger: Logger): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: no new calls are taken');
    server.close().then(
      () => process.exit(0),
      (err: Error) => {
        logger.error({ err }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

async function main(argv: string[]): Promise<void> {
  const flags = parseFlags(argv);
  let config: DaemonConfig;
  try {
    config = loadConfig(flags);
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }
  if (flags.daemon && !process.env[DAEMON_CHILD]) return daemonize(argv);

  const logger = createLogger(config);
  let server: DrachtioServer;
  try {
    server = await createServer({ ...config, logger });
  } catch (err) {
    const message = err instanceof StartupError ? err.message : `failed to start: ${(err as Error).message}`;
    logger.fatal({ err }, message);
    process.send?.({ ok: false, error: message });
    fail(message);
  }
  logger.info({ admin: server.adminAddress, contacts: server.sipContacts, version: SERVER_VERSION }, `${NAME} started`);
  stopOnSignals(server, logger);
  if (process.send) {
    process.send({ ok: true });
    process.disconnect();
  }
}

main(process.argv).catch((err: Error) => fail(`failed to start: ${err.message}`));
