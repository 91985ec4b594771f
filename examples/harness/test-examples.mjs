// `npm test` for examples/: runs every seed example as its README says
// (`node examples/<name>/run.mjs`: drachtio-server-ts + the example's app.js + sipp) and fails
// when one does not exit 0. session-state needs Redis on localhost:6379.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const examples = join(dirname(fileURLToPath(import.meta.url)), '..');
const EXAMPLES = [
  'busy-here',
  'answer-and-register',
  'options-ping',
  'uac-ack',
  'cancel',
  'reliable-provisional',
  'custom-headers',
  'b2bua',
  'middleware',
  'digest-auth',
  'header-parsing',
  'session-state',
  'registrar-proxy',
  // A real SIP client besides sipp: baresip registers and calls through the registrar-proxy example.
  'registrar-proxy/baresip.mjs',
];

function run(name) {
  const script = name.endsWith('.mjs') ? join(examples, name) : join(examples, name, 'run.mjs');
  const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

let failed = 0;
for (const name of EXAMPLES) {
  const { code, output } = await run(name);
  const passed =
    code === 0 && output.includes('call completed as scripted') && !output.includes('FAILED');
  console.log(`${passed ? 'ok  ' : 'FAIL'} examples/${name}`);
  if (!passed) {
    failed++;
    console.log(output.replace(/^/gm, '     '));
  }
}
console.log(`${EXAMPLES.length - failed} of ${EXAMPLES.length} examples ran end to end`);
process.exit(failed === 0 ? 0 : 1);
