// Bundles page/phone.js and JsSIP into dist/phone.bundle.js for the browser (dist/: built, not source).
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
await build({
  entryPoints: [join(here, 'page', 'phone.js')],
  outfile: join(here, 'dist', 'phone.bundle.js'),
  bundle: true,
  format: 'iife',
  target: 'es2020',
  logLevel: 'warning',
});
