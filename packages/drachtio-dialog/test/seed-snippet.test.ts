/**
 * The seed README's "Sip dialog support" snippet runs as written (examples/dialog/app.js, with
 * RedisStore, drachtio.session() and drachtio.dialog() loaded the way the seed loads them) and
 * prints why the dialog ended. examples/dialog/run.mjs drives it: server, Redis, sipp.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const RUN = join(__dirname, '..', '..', '..', 'examples', 'dialog', 'run.mjs');

function run(script: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

describe('the seed dialog snippet', () => {
  it('prints the termination reason of a call the caller hung up', async () => {
    const { code, output } = await run(RUN);
    expect(output).toContain('app   | dialog was terminated due to normal far end release');
    expect(output).toMatch(
      /app {3}\| dialog \S+ created: sip:\+15551230000@example\.com -> sip:bob@/,
    );
    expect(code).toBe(0);
  });
});
