/**
 * Every fenced block marked `doctest` in README.md and docs/*.md runs here:
 * - `sh doctest` blocks run, in order, against the main job (`examples/main/start.mjs`,
 *   what `npm start` runs) and must exit 0;
 * - `js doctest expect=<scenario>` blocks run as an app against their own daemon; sipp then
 *   plays `scenarios/<scenario>` against it and must succeed.
 * Docs use the default ports; each run substitutes free ones.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort } from 'drachtio-test-kit';
import { DocBlock, documentedBlocks, repoRoot, withPorts } from './blocks';
import { Child, sh } from './processes';

const blocks = documentedBlocks();
const shellBlocks = blocks.filter((b) => b.lang === 'sh');
const appBlocks = blocks.filter((b) => b.lang === 'js');
const serverCli = join(repoRoot, 'packages', 'drachtio-server-ts', 'dist', 'cli.js');
const workDir = join(__dirname, '..', '.run');

type Ports = { admin: number; sip: number };

/** The SIP port must be free on UDP and TCP (the daemon listens on both) and differ from admin. */
async function freePorts(): Promise<Ports> {
  const sip = await freePort('both');
  let admin = await freePort('tcp');
  while (admin === sip) admin = await freePort('tcp');
  return { admin, sip };
}

const START_ATTEMPTS = 3;

/**
 * Starts a process on free ports and waits until it has printed every `ready` text. A port found
 * free can be taken by a parallel suite before the process binds it; the process then exits
 * with its reason, and we try again on other ports.
 */
async function startOnFreePorts(
  start: (ports: Ports) => Child,
  ready: string[],
): Promise<{ child: Child; ports: Ports }> {
  let failure = '';
  for (let attempt = 0; attempt < START_ATTEMPTS; attempt++) {
    const ports = await freePorts();
    const child = start(ports);
    try {
      for (const text of ready) await child.waitFor(text);
      return { child, ports };
    } catch (err) {
      await child.stop('SIGKILL');
      failure = (err as Error).message;
    }
  }
  throw new Error(`did not start in ${START_ATTEMPTS} attempts; last: ${failure}`);
}

function startDaemon(): Promise<{ child: Child; ports: Ports }> {
  return startOnFreePorts(
    (ports) =>
      new Child(
        process.execPath,
        [
          serverCli,
          '--noconfig',
          '--address',
          '127.0.0.1',
          '--port',
          String(ports.admin),
          '--secret',
          'cymru',
          '--contact',
          `sip:127.0.0.1:${ports.sip};transport=udp,tcp`,
        ],
        { cwd: repoRoot },
      ),
    ['started'],
  );
}

function where(block: DocBlock): string {
  return `${block.file}:${block.line}`;
}

test('the README walk-through has runnable blocks', () => {
  expect(shellBlocks.length).toBeGreaterThanOrEqual(2);
  expect(appBlocks.length).toBeGreaterThanOrEqual(1);
});

describe('shell blocks against the main job', () => {
  let ports: Ports;
  let main: Child;

  beforeAll(async () => {
    ({ child: main, ports } = await startOnFreePorts(
      (free) =>
        new Child(process.execPath, [join(repoRoot, 'examples', 'main', 'start.mjs')], {
          cwd: repoRoot,
          env: { DRACHTIO_ADMIN_PORT: String(free.admin), DRACHTIO_SIP_PORT: String(free.sip) },
        }),
      ['Press Ctrl-C', 'app: connected'],
    ));
  });

  afterAll(async () => {
    await main?.stop('SIGKILL');
  });

  test.each(shellBlocks.map((b) => [where(b), b] as const))('%s', async (_where, block) => {
    const { code, output } = await sh(withPorts(block.code, ports), repoRoot);
    if (code !== 0) throw new Error(`exit ${code}\n${output}\n--- main job ---\n${main.output}`);
  });

  test('Ctrl-C stops the main job cleanly', async () => {
    expect(await main.stop('SIGINT')).toBe(0);
  });
});

describe('app blocks against their own daemon', () => {
  test.each(appBlocks.map((b) => [where(b), b] as const))('%s', async (_where, block) => {
    const scenario = block.options.expect;
    if (!scenario)
      throw new Error(`${where(block)}: a js doctest block needs expect=<sipp scenario>`);
    const { child: server, ports } = await startDaemon();
    mkdirSync(workDir, { recursive: true });
    const file = join(workDir, `block-${block.line}.js`);
    writeFileSync(file, withPorts(block.code, ports));
    let app: Child | undefined;
    try {
      app = new Child(process.execPath, [file], { cwd: workDir });
      // The app connects asynchronously; until it has, the server answers 503. Retry a few times.
      const command = `sipp -sf ${join(__dirname, '..', 'scenarios', scenario)} -m 1 -timeout 10 -timeout_error 127.0.0.1:${ports.sip}`;
      let last = { code: null as number | null, output: '' };
      for (let attempt = 0; attempt < 10 && last.code !== 0; attempt++) {
        if (attempt > 0) await new Promise((r) => setTimeout(r, 300));
        last = await sh(command, repoRoot);
      }
      if (last.code !== 0)
        throw new Error(
          `sipp ${scenario}: exit ${last.code}\n${last.output}\n--- app ---\n${app.output}`,
        );
    } finally {
      await app?.stop('SIGKILL');
      await server.stop('SIGKILL');
    }
  });
});
