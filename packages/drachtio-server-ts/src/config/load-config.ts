import { existsSync, readFileSync } from 'node:fs';
import { parseListenContact } from '../transport/contact';
import type { HomerTarget } from '../observability/hep-sender';
import { ConfigError } from './config-error';
import { hostPort, optionalHostPort, portNumber, type HostPort } from './endpoints';
import { readPem } from './pem-file';
import { LOG_LEVELS, type LogLevel, type ServerOptions } from './server-options';
import { transportSettings, type TransportFile, type TransportFlags } from './transport-config';
import { configProblems } from './validate-config';
import { withBlacklistFlags, type BlacklistFlags } from './blacklist-flags';
import { withOverloadFlags, type OverloadFlags } from './overload-flags';
import { outboundSettings } from './outbound-settings';
import type { ContactAddressing } from '../transport/advertised-address';

export { ConfigError };

/**
 * Where the config file is looked for when neither -f nor DRACHTIO_CONFIG names one. The C++
 * drachtio-server reads /etc/drachtio.conf.xml; ours is JSON, under its own name, so the two
 * servers can live on one host.
 */
export const DEFAULT_CONFIG_PATHS: readonly string[] = ['/etc/drachtio-server-ts.json'];

/** The daemon's flags, as commander hands them over. */
export interface CliFlags extends BlacklistFlags, TransportFlags, OverloadFlags {
  file?: string;
  port?: string;
  address?: string;
  secret?: string;
  contact?: string[];
  loglevel?: string;
  /** Ignore any config file (drachtio-server's --noconfig). */
  noconfig?: boolean;
  sipTrace?: boolean;
  /** host:port of a Homer collector (drachtio-server's --homer). */
  homer?: string;
  homerId?: string;
  /** [addr:]port (drachtio-server's --prometheus-scrape-port). */
  prometheusScrapePort?: string;
  user?: string;
  pidfile?: string;
  /** --external-ip, --local-net, --dns-name, per the --contact they follow. */
  addressing?: Record<string, ContactAddressing>;
  dnsServer?: string[];
  outboundProxy?: string;
  mtu?: string;
}

/** The daemon's configuration: server options plus what only the process needs. */
export interface DaemonConfig extends ServerOptions {
  logLevel: LogLevel;
  /** Append JSON logs to this file instead of stdout. */
  logFile?: string;
  /** Log every SIP message in and out. */
  sipTrace: boolean;
  homer?: HomerTarget;
  /** Where GET /metrics and GET /health are served; none when absent. */
  prometheus?: HostPort;
  shutdown: { drainTimeout: number; retryAfter: number };
  /** user[:group] to run as once the ports are bound. */
  user?: string;
  pidFile?: string;
  /** The config file read, if any: SIGHUP reads it again. */
  configFile?: string;
}

/** The config file's shape; the JSON Schema (drachtio-server-ts.schema.json) is its contract. */
interface ConfigFile {
  secret?: string;
  contacts?: string[];
  admin?: { address?: string; port?: number; tls?: { certFile?: string; keyFile?: string } };
  requests?: ServerOptions['requests'];
  limits?: ServerOptions['limits'];
  sip?: Omit<NonNullable<ServerOptions['sip']>, keyof TransportFile> & TransportFile;
  log?: { level?: LogLevel; file?: string; sipTrace?: boolean };
  homer?: { address: string; port: number; id?: number };
  prometheus?: { address?: string; port: number };
  shutdown?: { drainTimeout?: number; retryAfter?: number };
  user?: string;
  pidFile?: string;
}

export const DEFAULT_SHUTDOWN = { drainTimeout: 30_000, retryAfter: 60 };

/**
 * defaults < JSON file < environment (DRACHTIO_*) < flags. Every value is checked here so a
 * mistake is reported as one clear line before anything starts listening.
 */
export function loadConfig(
  flags: CliFlags,
  env: NodeJS.ProcessEnv = process.env,
  defaultPaths: readonly string[] = DEFAULT_CONFIG_PATHS,
): DaemonConfig {
  const path = flags.noconfig
    ? undefined
    : (flags.file ??
      env.DRACHTIO_CONFIG ??
      defaultPaths.find((candidate) => existsSync(candidate)));
  const file = path ? readConfigFile(path) : {};

  const secret = flags.secret ?? env.DRACHTIO_SECRET ?? file.secret;
  if (secret === undefined || secret === '') {
    throw new ConfigError(
      'no secret configured: pass --secret, set DRACHTIO_SECRET, or put "secret" in the config file',
    );
  }
  const contacts = flags.contact?.length
    ? flags.contact
    : env.DRACHTIO_CONTACTS
      ? env.DRACHTIO_CONTACTS.split(/\s+/).filter(Boolean)
      : file.contacts;
  if (contacts !== undefined) checkContacts(contacts);

  const certFile = env.DRACHTIO_TLS_CERT ?? file.admin?.tls?.certFile;
  const keyFile = env.DRACHTIO_TLS_KEY ?? file.admin?.tls?.keyFile;
  if ((certFile === undefined) !== (keyFile === undefined)) {
    throw new ConfigError('TLS for the admin port needs both a certificate and a key file');
  }
  const adminPort =
    flags.port ?? env.DRACHTIO_ADMIN_PORT ?? env.DRACHTIO_ADMIN_TCP_PORT ?? file.admin?.port;

  return {
    secret,
    contacts,
    admin: {
      address: flags.address ?? env.DRACHTIO_ADMIN_ADDRESS ?? file.admin?.address,
      port: adminPort === undefined ? undefined : portNumber(adminPort, 'admin port'),
      tls: certFile && keyFile ? { cert: readPem(certFile), key: readPem(keyFile) } : undefined,
    },
    requests: {
      ...file.requests,
      ...(env.DRACHTIO_AUTO_ANSWER_OPTIONS !== undefined && {
        autoAnswerOptions: bool(env.DRACHTIO_AUTO_ANSWER_OPTIONS, 'DRACHTIO_AUTO_ANSWER_OPTIONS'),
      }),
      ...(env.DRACHTIO_NO_APP_STATUS !== undefined && {
        noAppStatus: status(env.DRACHTIO_NO_APP_STATUS, 'DRACHTIO_NO_APP_STATUS'),
      }),
    },
    limits: file.limits,
    sip: sipOptions(flags, env, file.sip, contacts),
    logLevel: logLevel(flags.loglevel ?? env.DRACHTIO_LOGLEVEL ?? file.log?.level ?? 'info'),
    logFile: env.DRACHTIO_LOGFILE ?? file.log?.file,
    sipTrace: flags.sipTrace ?? file.log?.sipTrace ?? false,
    homer: homer(flags, env, file),
    prometheus: prometheus(flags, env, file),
    shutdown: { ...DEFAULT_SHUTDOWN, ...file.shutdown },
    user: flags.user ?? file.user,
    pidFile: flags.pidfile ?? file.pidFile,
    configFile: path,
  };
}

/** The file's engine settings with the flags applied: blocklist, addressing, transports. */
function sipOptions(
  flags: CliFlags,
  env: NodeJS.ProcessEnv,
  sip: ConfigFile['sip'] = {},
  contacts: readonly string[] | undefined,
): ServerOptions['sip'] {
  const { tls, websocket, tcpKeepaliveInterval, ...engine } = sip;
  return {
    ...withOverloadFlags(withBlacklistFlags(engine, flags), flags),
    ...outboundSettings(flags, sip, contacts),
    ...transportSettings(flags, env, { tls, websocket, tcpKeepaliveInterval }),
  };
}

function readConfigFile(path: string): ConfigFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(
      `cannot read config file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`config file ${path} is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`config file ${path} must hold a JSON object`);
  }
  const problems = configProblems(parsed);
  if (problems.length > 0) throw new ConfigError(`config file ${path}: ${problems.join('; ')}`);
  return parsed as ConfigFile;
}

/** Flags win over the environment (C++ drachtio-server's names), which wins over the file. */
function homer(flags: CliFlags, env: NodeJS.ProcessEnv, file: ConfigFile): HomerTarget | undefined {
  const fromFlag = flags.homer === undefined ? undefined : hostPort(flags.homer, '--homer');
  const address = fromFlag?.address ?? env.DRACHTIO_HOMER_ADDRESS ?? file.homer?.address;
  const rawPort = fromFlag?.port ?? env.DRACHTIO_HOMER_PORT ?? file.homer?.port;
  const rawId = flags.homerId ?? env.DRACHTIO_HOMER_ID ?? file.homer?.id;
  if (address === undefined && rawPort === undefined) {
    if (rawId !== undefined)
      throw new ConfigError(
        'a Homer id without a Homer collector: add --homer host:port (or DRACHTIO_HOMER_ADDRESS and DRACHTIO_HOMER_PORT)',
      );
    return undefined;
  }
  if (address === undefined || rawPort === undefined)
    throw new ConfigError('Homer needs both an address and a port (--homer host:port)');
  const id = Number(rawId ?? 0);
  if (!Number.isInteger(id) || id < 0 || id > 0xffffffff)
    throw new ConfigError(`invalid Homer id '${rawId}': expected an integer from 0 to 4294967295`);
  return { address, port: portNumber(rawPort, 'Homer port', 1), id };
}

function prometheus(
  flags: CliFlags,
  env: NodeJS.ProcessEnv,
  file: ConfigFile,
): HostPort | undefined {
  const value = flags.prometheusScrapePort ?? env.DRACHTIO_PROMETHEUS_SCRAPE_PORT;
  if (value !== undefined) return optionalHostPort(value, 'Prometheus scrape port');
  return (
    file.prometheus && {
      address: file.prometheus.address ?? '127.0.0.1',
      port: file.prometheus.port,
    }
  );
}

const CONTACT = /^sips?:(\[[0-9a-fA-F:.]+\]|[^:;\s[\]]+)(:\d{1,5})?(;[^\s]*)?$/;

function checkContacts(contacts: string[]): void {
  if (contacts.length === 0) throw new ConfigError('no SIP contact configured');
  for (const contact of contacts) {
    const match = CONTACT.exec(contact);
    const port = match?.[2] ? Number(match[2].slice(1)) : 5060;
    if (!match || port > 65535) {
      throw new ConfigError(
        `invalid SIP contact '${contact}': expected e.g. sip:127.0.0.1:5060;transport=udp,tcp`,
      );
    }
    try {
      parseListenContact(contact);
    } catch (err) {
      throw new ConfigError(`invalid SIP contact '${contact}': ${(err as Error).message}`);
    }
  }
}

function logLevel(value: string): LogLevel {
  if (!(LOG_LEVELS as readonly string[]).includes(value)) {
    throw new ConfigError(`invalid log level '${value}': expected one of ${LOG_LEVELS.join(', ')}`);
  }
  return value as LogLevel;
}

function bool(value: string, name: string): boolean {
  if (value === 'true' || value === '1') return true;
  if (value === 'false' || value === '0') return false;
  throw new ConfigError(`invalid ${name} '${value}': expected true or false`);
}

function status(value: string, name: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 300 || number > 699) {
    throw new ConfigError(
      `invalid ${name} '${value}': expected a final SIP status from 300 to 699`,
    );
  }
  return number;
}
