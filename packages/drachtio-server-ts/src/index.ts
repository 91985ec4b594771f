export * from './engine-api';
export { Engine, type EngineOptions } from './engine';
export { createServer, StartupError, type DrachtioServer } from './server';
export {
  ControlPlane,
  DEFAULT_CONTROL_OPTIONS,
  type AdminAddress,
  type ControlOptions,
} from './control';
export {
  ConfigError,
  loadConfig,
  SERVER_VERSION,
  type CliFlags,
  type DaemonConfig,
  type LogLevel,
  type ServerOptions,
} from './config';
export { PROTECTED_HEADERS } from './user-agent/headers/protected-headers';
