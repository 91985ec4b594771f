import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The package version, read once; src/ and dist/ both sit one level below package.json. */
export const SERVER_VERSION: string = (
  JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
    version: string;
  }
).version;
