import { readFileSync } from 'node:fs';

/** A file's text, or '' when it is not there (sipp did not write it, the process is gone). */
export function readIfPresent(file) {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
