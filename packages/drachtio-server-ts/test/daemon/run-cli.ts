import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

/** The built daemon, as users run it (the package's bin). */
export const CLI = join(__dirname, '..', '..', 'dist', 'cli.js');

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Environment without the caller's DRACHTIO_* settings, so only what a test sets counts. */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('DRACHTIO_')),
  );
  return { ...env, ...extra };
}

export class CliProcess {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<CliResult>;

  constructor(args: string[], env: NodeJS.ProcessEnv = cleanEnv()) {
    this.child = spawn(process.execPath, [CLI, ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.on('data', (chunk) => (this.stdout += chunk));
    this.child.stderr?.on('data', (chunk) => (this.stderr += chunk));
    this.exited = new Promise((resolve) =>
      this.child.once('close', (code, signal) =>
        resolve({ code, signal, stdout: this.stdout, stderr: this.stderr }),
      ),
    );
  }

  /** Resolves with the first JSON log line whose msg matches, or rejects if the process exits first. */
  async logLine(msg: string): Promise<Record<string, unknown>> {
    for (;;) {
      const line = this.stdout
        .split('\n')
        .filter(Boolean)
        .map((text) => JSON.parse(text) as Record<string, unknown>)
        .find((entry) => entry.msg === msg);
      if (line) return line;
      const more = new Promise((resolve) => this.child.stdout?.once('data', resolve));
      const result = await Promise.race([more, this.exited.then((r) => r)]);
      if (result && typeof result === 'object' && 'code' in result)
        throw new Error(`daemon exited (${result.code}): ${this.stderr}`);
    }
  }
}

export function runCli(args: string[], env?: NodeJS.ProcessEnv): Promise<CliResult> {
  return new CliProcess(args, env).exited;
}
