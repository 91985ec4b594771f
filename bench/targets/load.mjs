// The transports section's load generator in its own process (as sipp is in section 1), so its
// CPU is measured apart from the runner's and from the processes under test. Each 'run' message
// is one step: a fresh socket or connection, `calls` calls at `rate`, the accounting as reply.
import { readFileSync } from 'node:fs';
import { runLoad } from '../lib/sip-load.mjs';
import { argValue, reportReady, serveRunner } from './control.mjs';

const caFile = argValue('ca');
const ca = caFile ? readFileSync(caFile) : undefined;

process.on('message', async (message) => {
  if (message.type !== 'run') return;
  const { transport, port, rate, calls } = message;
  let result;
  try {
    result = await runLoad({ transport, port, ca, rate, calls });
  } catch (error) {
    result = { error: error.message };
  }
  process.send({ ...result, id: message.id });
});

serveRunner({ stop: () => {} });
reportReady({});
