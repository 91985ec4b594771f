/**
 * Real Redis processes for tests: a throwaway standalone server (to kill or freeze in fault
 * tests), a Sentinel watching one, and a three-master Redis Cluster, all started from the `redis-server` binary on free
 * local ports with their files in a temporary directory, and removed again by `stop()`.
 * Also `ensureRedis()`, which starts a server on the well-known port when none answers there.
 */
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports';

const REDIS_SERVER_BINARY = process.env.REDIS_SERVER ?? 'redis-server';
const REDIS_CLI_BINARY = process.env.REDIS_CLI ?? 'redis-cli';

const HOST = '127.0.0.1';
const STARTUP_TIMEOUT_MS = 10_000;

export interface RedisNodeAddress {
  host: string;
  port: number;
}

export interface RedisServerHandle extends RedisNodeAddress {
  readonly process: ChildProcess;
  /** Freeze the server (SIGSTOP): connections stay open, nothing answers — a slow Redis. */
  pause(): void;
  /** Thaw a paused server (SIGCONT). */
  resume(): void;
  /** Kill the server and remove its files. */
  stop(): Promise<void>;
}

export interface RedisClusterHandle {
  /** One address per master, for ioredis' `new Cluster(nodes)`. */
  readonly nodes: RedisNodeAddress[];
  readonly servers: RedisServerHandle[];
  stop(): Promise<void>;
}

/** Start a standalone redis-server on a free port (or `port`), answering PING when this resolves. */
export async function startRedisServer(
  options: { port?: number; args?: string[] } = {},
): Promise<RedisServerHandle> {
  const port = options.port ?? (await freePort('tcp'));
  const dir = await mkdtemp(join(tmpdir(), `redis-${port}-`));
  const args = [
    '--port',
    String(port),
    '--bind',
    HOST,
    '--save',
    '',
    '--appendonly',
    'no',
    '--dir',
    dir,
    ...(options.args ?? []),
  ];
  return startRedisProcess(port, args, dir);
}

/** Run redis-server with `args`, its files in `dir` (removed by stop), until it answers PING on `port`. */
async function startRedisProcess(
  port: number,
  args: string[],
  dir: string,
): Promise<RedisServerHandle> {
  const child = spawn(REDIS_SERVER_BINARY, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  const collect = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4096));
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGCONT');
      child.kill('SIGKILL');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await waitFor(
      async () => (await redisCommand(port, 'PING')).startsWith('+PONG'),
      `redis-server on port ${port}`,
      () => child.exitCode !== null,
    );
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}${output ? `: ${output.trim()}` : ''}`);
  }
  return {
    host: HOST,
    port,
    process: child,
    pause: () => void child.kill('SIGSTOP'),
    resume: () => void child.kill('SIGCONT'),
    stop,
  };
}

/**
 * Start a Sentinel (redis-server --sentinel) that monitors `master` under the name `name`, and
 * resolve once it reports that master's address.
 */
export async function startRedisSentinel(
  master: RedisNodeAddress,
  name = 'mymaster',
): Promise<RedisServerHandle> {
  const port = await freePort('tcp');
  const dir = await mkdtemp(join(tmpdir(), `redis-sentinel-${port}-`));
  const config = join(dir, 'sentinel.conf');
  await writeFile(
    config,
    [
      `port ${port}`,
      `bind ${HOST}`,
      `dir ${dir}`,
      `sentinel monitor ${name} ${master.host} ${master.port} 1`,
      `sentinel down-after-milliseconds ${name} 1000`,
      '',
    ].join('\n'),
  );
  const sentinel = await startRedisProcess(port, [config, '--sentinel'], dir);
  await waitFor(
    async () =>
      (await redisCommand(port, 'SENTINEL', 'get-master-addr-by-name', name)).includes(
        String(master.port),
      ),
    `sentinel on port ${port} knowing master ${name}`,
  ).catch(async (error: unknown) => {
    await sentinel.stop();
    throw error;
  });
  return sentinel;
}

/** Start `masters` cluster-enabled servers and join them into one cluster with every slot covered. */
export async function startRedisCluster(
  options: { masters?: number } = {},
): Promise<RedisClusterHandle> {
  const masters = options.masters ?? 3;
  const servers: RedisServerHandle[] = [];
  const stop = async () => {
    await Promise.all(servers.map((server) => server.stop()));
  };
  try {
    for (let i = 0; i < masters; i++) {
      // The cluster bus port is chosen explicitly: the default (port + 10000) may be taken or out of range.
      const busPort = await freePort('tcp');
      servers.push(
        await startRedisServer({
          args: [
            '--cluster-enabled',
            'yes',
            '--cluster-port',
            String(busPort),
            '--cluster-node-timeout',
            '2000',
            '--cluster-config-file',
            'nodes.conf',
          ],
        }),
      );
    }
    await run(REDIS_CLI_BINARY, [
      '--cluster',
      'create',
      ...servers.map((server) => `${HOST}:${server.port}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
    ]);
    for (const server of servers) {
      await waitFor(
        async () =>
          (await redisCommand(server.port, 'CLUSTER', 'INFO')).includes('cluster_state:ok'),
        `cluster state ok on port ${server.port}`,
      );
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { nodes: servers.map(({ host, port }) => ({ host, port })), servers, stop };
}

/**
 * Make sure a Redis answers on `port` (6379 by default). Returns a stop function for a server
 * started here, or undefined when one was already running (it is left alone).
 */
export async function ensureRedis(port = 6379): Promise<(() => Promise<void>) | undefined> {
  if ((await redisCommand(port, 'PING').catch(() => '')).startsWith('+PONG')) return undefined;
  const server = await startRedisServer({ port });
  return server.stop;
}

/** Send one command in RESP and return the raw reply (enough for PING and CLUSTER INFO). */
export function redisCommand(port: number, ...args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: HOST, port });
    let reply = '';
    const timer = setTimeout(
      () => socket.destroy(new Error(`redis on port ${port} did not answer`)),
      2_000,
    );
    socket.once('connect', () =>
      socket.write(
        `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`,
      ),
    );
    socket.on('data', (chunk: Buffer) => {
      reply += chunk.toString();
      if (isCompleteReply(reply)) socket.end();
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(reply);
    });
  });
}

function isCompleteReply(reply: string): boolean {
  if (reply.startsWith('$')) {
    const header = reply.indexOf('\r\n');
    if (header < 0) return false;
    const length = Number(reply.slice(1, header));
    return length < 0 || Buffer.byteLength(reply) >= header + 2 + length + 2;
  }
  return reply.endsWith('\r\n');
}

async function waitFor(
  check: () => Promise<boolean>,
  what: string,
  gaveUp: () => boolean = () => false,
): Promise<void> {
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (gaveUp()) throw new Error(`${what} exited before it was ready`);
    if (Date.now() > deadline)
      throw new Error(`${what} was not ready within ${STARTUP_TIMEOUT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function run(file: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: STARTUP_TIMEOUT_MS }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${file} ${args.join(' ')} failed: ${stderr || error.message}`));
      else resolve(stdout);
    });
  });
}
