// `node examples/digest-auth/run.mjs`: drachtio-server-ts, this example's app and sipp, on one machine.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const { main } = createRequire(import.meta.url)('drachtio-example-harness');
main({
  dir: dirname(fileURLToPath(import.meta.url)),
  calls: {
    name: 'uac-register-auth',
    values: { final: 200 },
    service: 'dhorton',
    args: ['-au', 'dhorton', '-ap', 'foobar'],
  },
});
