#!/usr/bin/env node
/**
 * The drachtio-server-ts daemon. Takes drachtio-server's own flags where they apply; settings
 * come from defaults < JSON config file < DRACHTIO_* environment < flags. Anything that keeps
 * it from starting is reported as one line on stderr with a non-zero exit.
 */
import { spawn } from 'node:child_process';
import { Command } from 'commander';
import {
  ConfigError,
  loadConfig,
  SERVER_VERSION,
  type CliFlags,
  type DaemonConfig,
} from './config';
import { ContactFlags } from './config/contact-flags';
import { startDaemon } from './lifecycle/daemon';
import { StartupError } from './server';

const NAME = 'drachtio-server-ts';
/** Set in the environment of the background process that --daemon starts. */
const DAEMON_CHILD = 'DRACHTIO_DAEMON_CHILD';

function parseFlags(argv: string[]): CliFlags & { daemon?: boolean } {
  const contacts = new ContactFlags();
  const program = new Command(NAME)
    .description('The drachtio SIP server: SIP on the contacts, applications on the admin port.')
    .version(SERVER_VERSION, '-v, --version', 'print the version and exit')
    .option(
      '-f, --file <path>',
      'JSON config file (also DRACHTIO_CONFIG; default /etc/drachtio-server-ts.json if present)',
    )
    .option('-p, --port <port>', 'admin port applications connect to (default 8022)')
    .option('--address <address>', 'admin address (default 127.0.0.1)')
    .option('--secret <secret>', 'shared secret applications authenticate with')
    .option(
      '-c, --contact <uri>',
      'SIP contact to listen on, repeatable (default sip:*:5060;transport=udp,tcp; also ;transport=tls, ws or wss)',
      (uri) => contacts.contact(uri),
    )
    .option('--external-ip <address>', 'public address of the preceding --contact (1:1 NAT)', (v) =>
      contacts.externalIp(v),
    )
    .option(
      '--local-net <cidr>',
      'network reached without NAT by the preceding --contact, repeatable',
      (v) => contacts.localNet(v),
    )
    .option('--dns-name <name>', 'host name advertised for the preceding --contact', (v) =>
      contacts.dnsName(v),
    )
    .option('--dns-server <address[:port]>', 'DNS server for RFC 3263 lookups, repeatable', collect)
    .option('--outbound-proxy <uri>', 'send every request outside a dialog through this SIP URI')
    .option('--mtu <bytes>', 'a UDP request larger than this goes over TCP (default 1300)')
    .option(
      '--overload-target-delay <ms>',
      'refuse new calls with 503 while the UDP receive queues hold more than this (default 100; 0: off)',
    )
    .option(
      '-l, --loglevel <level>',
      'fatal, error, warn, info, debug, trace or silent (default info)',
    )
    .option('--cert-file <path>', 'PEM certificate for tls and wss contacts')
    .option('--key-file <path>', 'PEM private key for tls and wss contacts')
    .option('--chain-file <path>', 'PEM intermediate certificates sent after the certificate')
    .option('--tls-ca-file <path>', 'PEM CAs trusted for client certificates and TLS servers')
    .option('--tls-verify-client', 'require a client certificate the CA file vouches for')
    .option('--min-tls-version <version>', 'lowest TLS version accepted: 1.0 to 1.3 (default 1.2)')
    .option(
      '--tcp-keepalive-interval <seconds>',
      'send a CRLF keepalive on every SIP TCP and TLS connection this often (default 0: none)',
    )
    .option(
      '--ws-allowed-origin <origin>',
      'Origin allowed on ws/wss contacts, repeatable',
      collect,
    )
    .option('--sip-trace', 'log every SIP message in and out')
    .option('--homer <host:port>', 'send every SIP message to this Homer collector as HEP v3 (UDP)')
    .option('--homer-id <id>', 'HEP capture agent id (default 0)')
    .option(
      '--prometheus-scrape-port <[addr:]port>',
      'serve GET /metrics and GET /health here (address default 127.0.0.1)',
    )
    .option('--user <user[:group]>', 'run as this user once the ports are bound (start as root)')
    .option('--pidfile <path>', 'write the process id to this file')
    .option('--blacklist-redis-address <host>', 'Redis holding the IP blocklist (a SET)')
    .option('--blacklist-redis-port <port>', 'its port (default 6379)')
    .option(
      '--blacklist-redis-key <key>',
      'the SET of blocked IP addresses (turns the blocklist on)',
    )
    .option(
      '--blacklist-refresh-secs <secs>',
      'seconds between reads of the blocklist (default 60)',
    )
    .option('--blacklist-redis-sentinels <host:port,...>', 'Redis Sentinels instead of an address')
    .option('--blacklist-redis-master <name>', 'the master name with Sentinels (default mymaster)')
    .option('--noconfig', 'ignore any config file')
    .option('--daemon', 'run in the background')
    .helpOption('-h, --help', 'show this help')
    .allowExcessArguments(false)
    .parse(argv);
  return { ...program.opts(), addressing: contacts.addressing };
}

function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

function fail(message: string): never {
  process.stderr.write(`${NAME}: ${message}\n`);
  process.exit(1);
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
  child.once('exit', (code) =>
    fail(`background process exited with code ${code} before it started`),
  );
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

  let daemon;
  try {
    daemon = await startDaemon(NAME, config, flags);
  } catch (err) {
    const known = err instanceof StartupError || err instanceof ConfigError;
    const message = known ? err.message : `failed to start: ${(err as Error).message}`;
    process.send?.({ ok: false, error: message });
    fail(message);
  }
  if (process.send) {
    process.send({ ok: true });
    process.disconnect();
  }
  process.exit(await daemon.stopped);
}

main(process.argv).catch((err: Error) => fail(`failed to start: ${err.message}`));
