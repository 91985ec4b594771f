import { spawn } from 'node:child_process';
import { join } from 'node:path';

/**
 * Every seed example in examples/ runs as its README says (`node examples/<name>/run.mjs`):
 * drachtio-server-ts, the example's app.js (CommonJS, the seed's code) and sipp, exit code 0.
 */
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
];

function run(name: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [join(__dirname, '..', '..', '..', '..', 'examples', name, 'run.mjs')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

describe('examples/', () => {
  it.each(EXAMPLES)('%s runs end to end', async (name) => {
    const { code, output } = await run(name);
    expect({ code, output }).toEqual({ code: 0, output: expect.stringContaining('call completed as scripted') });
    expect(output).not.toContain('FAILED');
  });
});
