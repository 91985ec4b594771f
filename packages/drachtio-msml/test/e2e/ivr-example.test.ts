/**
 * examples/ivr must keep working: run its one command and check what it reports. It uses this
 * package's dist (the simulator's command line among it), so this also tests the built package.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

const RUN = join(__dirname, '..', '..', '..', '..', 'examples', 'ivr', 'run.mjs');

function run(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [RUN], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

test('node examples/ivr/run.mjs: the caller is answered by the media server, its digits reach the app, the call ends', async () => {
  const { code, output } = await run({ IVR_DIGITS: '2468#' });
  expect(output).toContain('ivr   | ivr: prompt finished (play.complete, 300ms)');
  expect(output).toContain('ivr   | ivr: caller entered 2468');
  expect(output).toMatch(/ms +\| +<dialogstart target="conn:[0-9a-f]+"/);
  expect(output).toMatch(/ms +\| BYE sip:msml@/);
  expect(output).toContain('sipp  | sipp: 1 successful call(s), 0 failed');
  expect(output).toContain('run   | OK: caller entered 2468');
  expect(code).toBe(0);
});
