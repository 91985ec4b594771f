import { readFileSync } from 'node:fs';
import { LOG_LEVELS, type LogLevel, type ServerOptions } from './server-options';

/** A configuration that cannot be used; its message is the one line the daemon prints. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** The daemon's flags, as commander hands them over. */
export interface CliFlags {
  file?: string;
  port?: string;
  address?: string;
  secret?: string;
  contact?: string[];
  loglevel?: string;
  /** Ignore any config file (drachtio-server's --noconfig). */
  noconfig?: boolean;
}

/** The daemon's configuration: server options plus where the log goes. */
export interface DaemonConfig extends ServerOptions {
  logLevel: LogLevel;
  /** Append JSON logs to this file instead of stdout. */
  logFile?: string;
}

/** The config file: ServerOptions in JSON, TLS given as file paths, plus the log settings. */
interface ConfigFile {
  secret?: string;
  contacts?: string[];
  admin?: { address?: string; port?: number; tls?: { certFile?: string; keyFile?: string } };
  requests?: ServerOptions['requests'];
  limits?: ServerOptions['limits'];
  sip?: ServerOptions['sip'];
  log?: { level?: string; file?: string };
}

/**
 * defaults < JSON file < environment (DRACHTIO_*) < flags. Every value is checked here so a
 * mistake is reported as one clear line before anything starts listening.
 */
export function loadConfig(flags: CliFlags, env: NodeJS.ProcessEnv = process.env): DaemonConfig {
  const path = flags.noconfig ? undefined : (flags.file ?? env.DRACHTIO_CONFIG);
  const file = path ? readConfigFile(path) : {};

  const secret = flags.secret ?? env.DRACHTIO_SECRET ?? file.secret;
  if (secret === undefined || secret === '') {
    throw new ConfigError('no secret configured: pass --secret, set DRACHTIO_SECRET, or put "secret" in the config file');
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

  const config: DaemonConfig = {
    secret,
    contacts,
    admin: {
      address: flags.address ?? env.DRACHTIO_ADMIN_ADDRESS ?? file.admin?.address,
      port: port(flags.port ?? env.DRACHTIO_ADMIN_PORT ?? file.admin?.port),
      tls: certFile && keyFile ? { cert: readPem(certFile), key: readPem(keyFile) } : undefined,
    },
    requests: {
      ...file.requests,
      ...(env.DRACHTIO_AUTO_ANSWER_OPTIONS !== undefined && { autoAnswerOptions: bool(env.DRACHTIO_AUTO_ANSWER_OPTIONS, 'DRACHTIO_AUTO_ANSWER_OPTIONS') }),
      ...(env.DRACHTIO_NO_APP_STATUS !== undefined && { noAppStatus: status(env.DRACHTIO_NO_APP_STATUS, 'DRACHTIO_NO_APP_STATUS') }),
    },
    limits: file.limits,
    sip: file.sip,
    logLevel: logLevel(flags.loglevel ?? env.DRACHTIO_LOGLEVEL ?? file.log?.level ?? 'info'),
    logFile: env.DRACHTIO_LOGFILE ?? file.log?.file,
  };
  checkRequests(config.requests);
  checkLimits(config.limits);
  checkSip(config.sip);
  return config;
}

function readConfigFile(path: string): ConfigFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read config file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
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
  const file = parsed as ConfigFile;
  const known = ['secret', 'contacts', 'admin', 'requests', 'limits', 'sip', 'log'];
  const unknown = Object.keys(file).filter((key) => !known.includes(key));
  if (unknown.length > 0) throw new ConfigError(`config file ${path}: unknown setting '${unknown[0]}' (known: ${known.join(', ')})`);
  if (file.secret !== undefined && typeof file.secret !== 'string') throw new ConfigError(`config file ${path}: "secret" must be a string`);
  if (file.contacts !== undefined && (!Array.isArray(file.contacts) || !file.contacts.every((c) => typeof c === 'string'))) {
    throw new ConfigError(`config file ${path}: "contacts" must be an array of SIP URIs`);
  }
  return file;
}

function readPem(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new ConfigError(`cannot read TLS file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

function port(value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!Number.isInteger(number) || number < 0 || number > 65535 || String(value).trim() === '') {
    throw new ConfigError(`invalid admin port '${value}': expected an integer from 0 to 65535`);
  }
  return number;
}

const CONTACT = /^sips?:(\[[0-9a-fA-F:.]+\]|[^:;\s[\]]+)(:\d{1,5})?(;[^\s]*)?$/;

function checkContacts(contacts: string[]): void {
  if (contacts.length === 0) throw new ConfigError('no SIP contact configured');
  for (const contact of contacts) {
    const match = CONTACT.exec(contact);
    const portNumber = match?.[2] ? Number(match[2].slice(1)) : 5060;
    if (!match || portNumber > 65535) {
      throw new ConfigError(`invalid SIP contact '${contact}': expected e.g. sip:127.0.0.1:5060;transport=udp,tcp`);
    }
    const transport = /;transport=([^;]*)/i.exec(match[3] ?? '')?.[1];
    if (transport && !transport.split(',').every((t) => ['udp', 'tcp'].includes(t.toLowerCase()))) {
      throw new ConfigError(`invalid SIP contact '${contact}': transport must be udp, tcp or udp,tcp`);
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

function status(value: string | number, name: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 300 || number > 699) {
    throw new ConfigError(`invalid ${name} '${value}': expected a final SIP status from 300 to 699`);
  }
  return number;
}

function checkRequests(requests: ServerOptions['requests']): void {
  if (requests === undefined) return;
  if (typeof requests !== 'object' || requests === null) throw new ConfigError('"requests" must be an object');
  if (requests.noAppStatus !== undefined) status(requests.noAppStatus, 'requests.noAppStatus');
  if (requests.disconnectStatus !== undefined) status(requests.disconnectStatus, 'requests.disconnectStatus');
  if (requests.autoAnswerOptions !== undefined && typeof requests.autoAnswerOptions !== 'boolean') {
    throw new ConfigError('"requests.autoAnswerOptions" must be true or false');
  }
}

function checkLimits(limits: ServerOptions['limits']): void {
  checkPositiveIntegers('limits', limits, ['maxFrameSize', 'maxConnections', 'authTimeout', 'keepaliveInterval', 'maxWriteBuffer']);
}

function checkSip(sip: ServerOptions['sip']): void {
  if (sip === undefined) return;
  const { timers, sessionTimers, ...rest } = sip;
  checkPositiveIntegers('sip', rest, ['tcpIdleTimeout', 'maxTransactions', 'maxDialogs', 'drainTimeout']);
  checkPositiveIntegers('sip.timers', timers, ['t1', 't2', 't4', 'timerC']);
  checkPositiveIntegers('sip.sessionTimers', sessionTimers, ['minSE']);
}

/** A section of numeric settings: known names only, each a positive integer. */
function checkPositiveIntegers(section: string, values: object | undefined, known: string[]): void {
  if (values === undefined) return;
  if (typeof values !== 'object' || values === null || Array.isArray(values)) throw new ConfigError(`"${section}" must be an object`);
  for (const [name, value] of Object.entries(values)) {
    if (!known.includes(name)) throw new ConfigError(`unknown setting '${section}.${name}' (known: ${known.join(', ')})`);
    if (!Number.isInteger(value) || (value as number) <= 0) throw new ConfigError(`'${section}.${name}' must be a positive integer`);
  }
}
