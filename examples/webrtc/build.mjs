// Bundles page/phone.js and JsSIP into page/phone.bundle.js for the browser.
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const page = join(dirname(fileURLToPath(import.meta.url)), 'page');
await build({
  entryPoints: [join(page, 'phone.js')],
  outfile: join(page, 'phone.bundle.js'),
  bundle: true,
  format: 'iife',
  target: 'es2020',
  logLevel: 'warning',
});
