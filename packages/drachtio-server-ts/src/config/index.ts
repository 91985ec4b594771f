export { ConfigError, loadConfig, type CliFlags, type DaemonConfig } from './load-config';
export { DEFAULT_CONTACTS, LOG_LEVELS, type LogLevel, type ServerOptions } from './server-options';
export { SERVER_VERSION } from './server-version';
