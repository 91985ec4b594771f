// `node examples/custom-headers/run.mjs`: drachtio-server-ts, this example's app and sipp, on one machine.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const { main } = createRequire(import.meta.url)('drachtio-example-harness');
main({
  dir: dirname(fileURLToPath(import.meta.url)),
  calls: {
    name: 'uac-invite-rejected',
    values: { status: 500, expect: 'X-My-Special-thingy: isnt my custom header shiny pretty[?]' },
  },
});
