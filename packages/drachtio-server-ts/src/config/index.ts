export { ConfigError } from './config-error';
export {
  DEFAULT_CONFIG_PATHS,
  DEFAULT_SHUTDOWN,
  loadConfig,
  type CliFlags,
  type DaemonConfig,
} from './load-config';
export { DEFAULT_CONTACTS, LOG_LEVELS, type LogLevel, type ServerOptions } from './server-options';
export { SERVER_VERSION } from './server-version';
export { CONFIG_SCHEMA, configProblems } from './validate-config';
