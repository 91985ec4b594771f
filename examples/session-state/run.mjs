// `node examples/session-state/run.mjs`: drachtio-server-ts, this example's app and sipp, on one machine.
// Needs Redis on localhost:6379.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const { main } = createRequire(import.meta.url)('drachtio-example-harness');
main({
  dir: dirname(fileURLToPath(import.meta.url)),
  calls: { name: 'uac-invite-answered' },
});
