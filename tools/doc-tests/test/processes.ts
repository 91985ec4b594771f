import { ChildProcess, spawn } from 'node:child_process';

/** A child process whose output is collected and which is always reaped by `stop`. */
export class Child {
  readonly process: ChildProcess;
  output = '';

  constructor(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }) {
    this.process = spawn(command, args, {
      cwd: options.cwd,
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const collect = (data: Buffer) => (this.output += data.toString());
    this.process.stdout?.on('data', collect);
    this.process.stderr?.on('data', collect);
  }

  /** Resolves when the output contains `text`; rejects if the process exits first. */
  waitFor(text: string, timeoutMs = 20000): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.output.includes(text)) done(null);
      };
      const exited = () => done(new Error(`exited before printing "${text}":\n${this.output}`));
      const timer = setTimeout(
        () => done(new Error(`no "${text}" within ${timeoutMs} ms:\n${this.output}`)),
        timeoutMs,
      );
      const done = (err: Error | null) => {
        clearTimeout(timer);
        this.process.stdout?.off('data', check);
        this.process.stderr?.off('data', check);
        this.process.off('exit', exited);
        if (err) reject(err);
        else resolve();
      };
      this.process.stdout?.on('data', check);
      this.process.stderr?.on('data', check);
      this.process.once('exit', exited);
      check();
    });
  }

  exited(): Promise<number | null> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) {
      return Promise.resolve(this.process.exitCode);
    }
    return new Promise((resolve) => this.process.once('exit', (code) => resolve(code)));
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.process.exitCode === null && this.process.signalCode === null)
      this.process.kill(signal);
    return this.exited();
  }
}

/** Runs a shell command to completion. */
export async function sh(
  command: string,
  cwd: string,
): Promise<{ code: number | null; output: string }> {
  const child = new Child('bash', ['-c', command], { cwd });
  const code = await child.exited();
  return { code, output: child.output };
}
