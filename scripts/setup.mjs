// Brings a checkout to a runnable state: installs dependencies when the lock file is newer
// than the install, then builds every package (turbo skips what is already built).
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { pnpm } from './pnpm.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const marker = join(root, 'node_modules', '.modules.yaml');
const lock = join(root, 'pnpm-lock.yaml');

function run(args) {
  const status = pnpm(args);
  if (status !== 0) {
    console.error(`setup: pnpm ${args.join(' ')} failed with exit code ${status}`);
    process.exit(status);
  }
}

const installed = existsSync(marker) && statSync(marker).mtimeMs >= statSync(lock).mtimeMs;
if (!installed) run(['install', '--frozen-lockfile']);
run(['exec', 'turbo', 'run', 'build', '--output-logs=errors-only']);
