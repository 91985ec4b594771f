/**
 * The daemon's logger and where it writes. Two things pino does not do by itself: reopen the
 * file after logrotate moved it (SIGHUP), and change the level of every child logger already
 * handed out (pino children keep the level they were created with).
 */
import pino, { type DestinationStream, type Level, type Logger } from 'pino';
import type { LogLevel } from '../config';

type SonicBoom = DestinationStream & { reopen(): void; flushSync(): void };

/** Dead children are swept after this many new ones, so per-connection loggers cannot pile up. */
const SWEEP_EVERY = 1024;

export class DaemonLogger {
  readonly logger: Logger;
  private readonly destination: SonicBoom;
  private readonly children = new Set<WeakRef<Logger>>();
  /** Loggers whose level is their own (the SIP trace): reloads leave them alone. */
  private readonly pinned = new WeakSet<Logger>();
  private created = 0;

  constructor(
    name: string,
    level: LogLevel,
    private readonly file: string | undefined,
  ) {
    this.destination = (
      file ? pino.destination({ dest: file, append: true, mkdir: true }) : pino.destination(1)
    ) as SonicBoom;
    this.logger = pino(
      { level, base: { name, pid: process.pid }, onChild: (child) => this.adopt(child) },
      this.destination,
    );
  }

  /** A child logger with its own fixed level. */
  pinnedChild(bindings: Record<string, string>, level: Level): Logger {
    const child = this.logger.child(bindings, { level });
    this.pinned.add(child);
    return child;
  }

  setLevel(level: LogLevel): void {
    this.logger.level = level;
    for (const ref of this.children) {
      const child = ref.deref();
      if (!child) this.children.delete(ref);
      else if (!this.pinned.has(child)) child.level = level;
    }
  }

  /** logrotate moved the file: start a new one at the configured path. */
  reopen(): boolean {
    if (!this.file) return false;
    this.destination.reopen();
    return true;
  }

  /** Everything written so far is on disk (before process.exit). */
  flush(): void {
    try {
      this.destination.flushSync();
    } catch {
      // nothing buffered, or the stream is already closed
    }
  }

  private adopt(child: Logger): void {
    this.children.add(new WeakRef(child));
    if (++this.created % SWEEP_EVERY === 0) {
      for (const ref of this.children) if (!ref.deref()) this.children.delete(ref);
    }
  }
}
