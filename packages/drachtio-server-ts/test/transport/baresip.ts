/**
 * A baresip user agent for the TLS tests: its own config directory, the test CA, and its
 * ctrl_tcp port (JSON in netstrings) to dial, hang up and read its events.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from 'drachtio-test-kit';
import { waitFor } from '../engine/helpers';

export const BARESIP = '/usr/bin/baresip';

export interface BaresipEvent {
  type: string;
  param?: string;
}

export class Baresip {
  readonly events: BaresipEvent[] = [];
  output = '';

  private constructor(
    private readonly child: ChildProcess,
    private readonly control: Socket,
    private readonly dir: string,
  ) {}

  /** Registers `aor` (a sip: URI with transport=tls) trusting `caFile`. */
  static async start(aor: string, caFile: string): Promise<Baresip> {
    const dir = mkdtempSync(join(tmpdir(), 'drachtio-baresip-'));
    const [sipPort, controlPort] = [await freePort('tcp'), await freePort('tcp')];
    writeFileSync(
      join(dir, 'config'),
      [
        'poll_method epoll',
        `sip_listen 127.0.0.1:${sipPort}`,
        `sip_cafile ${caFile}`,
        'module_path /usr/lib/baresip/modules',
        'module g711.so',
        'module aubridge.so',
        'module account.so',
        'module menu.so',
        'module ctrl_tcp.so',
        `ctrl_tcp_listen 127.0.0.1:${controlPort}`,
        'audio_player aubridge,drachtio',
        'audio_source aubridge,drachtio',
        'audio_alert aubridge,drachtio',
        '',
      ].join('\n'),
    );
    // The account is added once the control port is open, so its REGISTER_OK is not missed.
    writeFileSync(join(dir, 'accounts'), '');
    writeFileSync(join(dir, 'contacts'), '');
    const child = spawn(BARESIP, ['-f', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const early = (chunk: Buffer): void => void (output += chunk.toString());
    child.stdout?.on('data', early);
    child.stderr?.on('data', early);
    const agent = new Baresip(child, await connectControl(controlPort, Date.now() + 15_000), dir);
    child.stdout?.off('data', early);
    child.stderr?.off('data', early);
    agent.output = output;
    child.stdout?.on('data', (chunk: Buffer) => (agent.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (agent.output += chunk.toString()));
    agent.listen();
    agent.command('uanew', `<${aor}>;regint=600;answermode=manual`);
    return agent;
  }

  /** Waits for an event of this type (REGISTER_OK, CALL_ESTABLISHED, CALL_CLOSED, ...). */
  event(type: string, timeoutMs = 20_000): Promise<BaresipEvent> {
    return waitFor(() => this.events.find((e) => e.type === type), timeoutMs);
  }

  command(command: string, params = ''): void {
    const json = JSON.stringify({ command, params, token: String(Date.now()) });
    this.control.write(`${Buffer.byteLength(json)}:${json},`);
  }

  async stop(): Promise<void> {
    this.control.destroy();
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, 3000)))]);
    clearTimeout(timer);
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** ctrl_tcp speaks netstrings: `<length>:<json>,`. */
  private listen(): void {
    let buffer = '';
    this.control.on('data', (chunk) => {
      buffer += chunk.toString();
      for (;;) {
        const colon = buffer.indexOf(':');
        if (colon < 0) return;
        const length = Number(buffer.slice(0, colon));
        if (buffer.length < colon + 1 + length + 1) return;
        const json = buffer.slice(colon + 1, colon + 1 + length);
        buffer = buffer.slice(colon + 2 + length);
        const message = JSON.parse(json) as { event?: boolean; type?: string; param?: string };
        if (message.event && message.type)
          this.events.push({ type: message.type, param: message.param });
      }
    });
  }
}

/** baresip opens its control port a moment after it starts. */
async function connectControl(port: number, deadline: number): Promise<Socket> {
  for (;;) {
    try {
      return await new Promise<Socket>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1', () => resolve(socket));
        socket.once('error', reject);
      });
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
