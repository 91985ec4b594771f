import createDebug from 'debug';

/**
 * Where drachtio writes what it does: pino's shape (an object, then a message), so a pino logger
 * passes as it is (`drachtio({ logger: pino() })`). Without one, drachtio writes through the
 * `debug` package: `DEBUG=drachtio:*` shows everything, and errors nobody handles go to stderr.
 */
export interface Logger {
  debug(obj: object, msg: string): void;
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
  /** Lets the hot path skip building a record nobody reads (pino has it). */
  isLevelEnabled?(level: 'debug'): boolean;
  /** A logger for one part of drachtio (pino's child loggers); its records carry `component`. */
  child?(bindings: { component: string }): Logger;
}

/** The part of drachtio a record comes from: `DEBUG=drachtio:wire` shows only the wire. */
export type Component = 'app' | 'wire' | 'uas' | 'uac';

/** `logger`'s view for one component. */
export function componentLogger(logger: Logger, component: Component): Logger {
  return logger.child?.({ component }) ?? logger;
}

/** True when a debug record would be written: callers build costly records only then. */
export function debugEnabled(logger: Logger): boolean {
  return logger.isLevelEnabled?.('debug') ?? true;
}

/** The default: `debug` namespaces `drachtio:<component>`; warnings and errors always reach stderr. */
export function debugLogger(component: Component = 'app'): Logger {
  const debug = createDebug(`drachtio:${component}`);
  const write = (obj: object, msg: string): void => debug('%s %o', msg, obj);
  const stderr = (obj: object, msg: string): void => {
    const err = (obj as { err?: unknown }).err;
    console.error(`drachtio: ${msg}${err instanceof Error ? `: ${err.stack ?? err.message}` : ''}`);
  };
  return {
    debug: write,
    info: write,
    warn: stderr,
    error: stderr,
    isLevelEnabled: () => debug.enabled,
    child: ({ component: child }) => debugLogger(child as Component),
  };
}
