import { readFileSync } from 'node:fs';
import { ConfigError } from './config-error';

/** A PEM file's bytes; a file that cannot be read is a ConfigError naming it. */
export function readPem(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new ConfigError(
      `cannot read TLS file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
}
