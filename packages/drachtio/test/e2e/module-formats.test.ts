import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { runSipp } from 'drachtio-test-kit';
import { expectSippSuccess, scenario } from '../support/scenarios';
import { startTestServer, type TestServer } from '../support/server';

/**
 * The quick start as a user runs it: a separate node process loading the built package by its
 * name, once with CommonJS `require` and once with ES `import`.
 */

let server: TestServer;
beforeEach(async () => {
  server = await startTestServer();
});
afterEach(async () => {
  await server.stop();
});

async function runApp(file: string): Promise<void> {
  const child = spawn(process.execPath, [join(__dirname, '..', 'fixtures', file)], {
    env: { ...process.env, DRACHTIO_HOST: '127.0.0.1', DRACHTIO_PORT: String(server.adminPort) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => resolve(code)),
  );
  let output = '';
  child.stderr.on('data', (chunk) => (output += chunk));
  try {
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (chunk) => {
        output += chunk;
        if (output.includes('connected ')) resolve();
      });
      void exited.then((code) => reject(new Error(`${file} exited with ${code}: ${output}`)));
    });
    expect(output).toContain(`connected ${server.sipHostport}`);
    const result = await runSipp({
      scenario: scenario('uac-invite-rejected', {
        status: 486,
        expect: "[Uu]ser-[Aa]gent: Drachtio rocksz - but he's busy right now!",
      }),
      remote: server.sipHostport,
      service: 'busy',
    });
    expectSippSuccess(result);
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

describe('the package from plain Node.js', () => {
  it('the ES module entry names every member the CommonJS export has', () => {
    const script =
      "import * as esm from 'drachtio'; import { createRequire } from 'node:module'; const cjs = createRequire(import.meta.url)('drachtio'); console.log(JSON.stringify({ esm: Object.keys(esm).filter((k) => k !== 'default').sort(), cjs: Object.keys(cjs).filter((k) => k !== 'default').sort(), same: esm.default === cjs }));";
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: join(__dirname, '..', '..'),
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    const { esm, cjs, same } = JSON.parse(result.stdout) as {
      esm: string[];
      cjs: string[];
      same: boolean;
    };
    expect(esm).toEqual(cjs);
    expect(same).toBe(true);
  });

  it("require('drachtio')() runs the quick start (CommonJS)", async () => {
    await runApp('quick-start.cjs');
  });

  it("import drachtio from 'drachtio' runs the quick start (ES module)", async () => {
    await runApp('quick-start.mjs');
  });
});
