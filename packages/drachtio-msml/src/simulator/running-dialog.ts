/**
 * One MOML dialog executing on the simulator: primitives run in order (or side by side in a
 * parallel group), each taking the script's time; their exit actions send events to the
 * application or end the dialog. Ending it any way reports `msml.dialog.exit` exactly once,
 * except when the connection itself is gone (abandon).
 */
import type { MsmlNode } from '../xml/node';
import { matchDigits } from './digit-pattern';
import { FOREVER, parseTime, type SimulatorScript } from './script';

export type Values = [string, string][];

/** What a dialog needs from the media server around it. */
export interface DialogHost {
  readonly script: SimulatorScript;
  /** The next digits the caller keys on this dialog's connection ('' = none). */
  nextDigits(): string;
  /** Send an event to the application (a `<send target="source">`). */
  emit(event: string, values: Values): void;
  /** The dialog ended: report it (unless abandoned) and forget it. */
  ended(values: Values, disconnect: boolean): void;
}

/** Thrown by an `<exit>`/`<disconnect>` action to unwind the dialog. */
class DialogExit {
  constructor(
    readonly values: Values,
    readonly disconnect: boolean,
  ) {}
}
/** Thrown out of a wait when the whole dialog was stopped from outside. */
class DialogStopped {}

export class RunningDialog {
  private readonly stop = new AbortController();
  private readonly vars = new Map<string, string>();
  /** Primitives with an id, so a `<send target="id" event="terminate">` can stop them. */
  private readonly byId = new Map<string, AbortController>();
  private finished = false;

  constructor(
    readonly id: string,
    private readonly moml: readonly MsmlNode[],
    private readonly host: DialogHost,
  ) {}

  start(): void {
    void this.run();
  }

  /** dialogend, or an MSML `<send event="terminate">`: stop and report the exit. */
  terminate(): void {
    this.finish([], false);
  }

  /** The connection is gone: stop without reporting anything. */
  abandon(): void {
    this.finished = true;
    this.stop.abort();
  }

  private async run(): Promise<void> {
    try {
      for (const node of this.moml) await this.primitive(node);
      this.finish([], false);
    } catch (outcome) {
      if (outcome instanceof DialogExit) this.finish(outcome.values, outcome.disconnect);
      else if (!(outcome instanceof DialogStopped)) throw outcome;
    }
  }

  private finish(values: Values, disconnect: boolean): void {
    if (this.finished) return;
    this.finished = true;
    this.stop.abort();
    this.host.ended(values, disconnect);
  }

  private async primitive(node: MsmlNode): Promise<void> {
    const own = new AbortController();
    if (node.attributes.id) this.byId.set(node.attributes.id, own);
    switch (node.name) {
      case 'play':
        return this.play(node, own.signal);
      case 'dtmf':
      case 'collect':
        return this.collect(node, own.signal);
      case 'record':
        return this.record(node, own.signal);
      case 'group':
        return this.group(node);
    }
  }

  private async play(node: MsmlNode, own: AbortSignal): Promise<void> {
    const perPass = node.children
      .filter((c) => c.name === 'audio')
      .reduce((sum, a) => sum + this.host.script.playMs * iterations(a.attributes.iterations), 0);
    const passes = iterations(node.attributes.iterations);
    const planned = Math.min(
      perPass === 0 ? 0 : perPass * passes,
      parseTime(node.attributes.maxtime) ?? FOREVER,
    );
    const { elapsed, completed } = await this.wait(planned, own);
    this.set('play.amt', `${elapsed}ms`);
    this.set('play.end', completed ? 'play.complete' : 'play.terminated');
    await this.actions(exitBlock(node, 'playexit'));
  }

  private async collect(node: MsmlNode, own: AbortSignal): Promise<void> {
    const prefix = node.name;
    const { completed } = await this.wait(this.host.script.digitDelayMs, own);
    const keyed = completed ? this.host.nextDigits() : '';
    const patterns = node.children.filter((c) => c.name === 'pattern');
    const match = patterns
      .map((p) => ({ pattern: p, result: matchDigits(p.attributes.digits ?? '', keyed) }))
      .find((m) => m.result.matched);
    const outcome = !completed
      ? 'terminated'
      : keyed === ''
        ? 'noinput'
        : match
          ? 'match'
          : 'nomatch';
    const digits = match?.result.digits ?? keyed;
    this.set(`${prefix}.digits`, digits);
    this.set(`${prefix}.len`, String(digits.length));
    this.set(`${prefix}.last`, keyed.slice(-1));
    this.set(`${prefix}.end`, `${prefix}.${outcome}`);
    if (match) await this.actions(match.pattern.children);
    else if (outcome === 'noinput' || outcome === 'nomatch')
      await this.actions(exitBlock(node, outcome));
    await this.actions(exitBlock(node, `${prefix}exit`));
  }

  private async record(node: MsmlNode, own: AbortSignal): Promise<void> {
    const planned = Math.min(
      this.host.script.recordMs,
      parseTime(node.attributes.maxtime) ?? FOREVER,
    );
    const { elapsed, completed } = await this.wait(planned, own);
    this.set('record.recordid', this.host.script.recordFile ?? node.attributes.dest ?? '');
    this.set('record.len', `${elapsed}ms`);
    this.set('record.end', completed ? 'record.complete' : 'record.terminated');
    await this.actions(exitBlock(node, 'recordexit'));
  }

  private async group(node: MsmlNode): Promise<void> {
    const members = node.children.filter((c) => c.name !== 'groupexit');
    if (node.attributes.topology === 'parallel')
      await Promise.all(members.map((m) => this.primitive(m)));
    else for (const m of members) await this.primitive(m);
    await this.actions(exitBlock(node, 'groupexit'));
  }

  private async actions(nodes: readonly MsmlNode[]): Promise<void> {
    for (const action of nodes) {
      this.checkRunning();
      const values = this.pick(action.attributes.namelist);
      if (action.name === 'exit' || action.name === 'disconnect')
        throw new DialogExit(values, action.name === 'disconnect');
      if (action.name !== 'send') continue;
      const { target, event } = action.attributes;
      if (target === 'source') this.host.emit(event ?? '', values);
      else if (event === 'terminate' && target) this.byId.get(target)?.abort();
    }
  }

  /** Wait for a primitive's time, or less if it or the dialog is stopped. */
  private wait(ms: number, own: AbortSignal): Promise<{ elapsed: number; completed: boolean }> {
    const started = Date.now();
    return new Promise((resolve, reject) => {
      const cleanup = (): void => {
        clearTimeout(timer);
        own.removeEventListener('abort', onOwn);
        this.stop.signal.removeEventListener('abort', onDialog);
      };
      const onElapsed = (): void => {
        cleanup();
        resolve({ elapsed: ms, completed: true });
      };
      const onOwn = (): void => {
        cleanup();
        resolve({ elapsed: Date.now() - started, completed: false });
      };
      const onDialog = (): void => {
        cleanup();
        reject(new DialogStopped());
      };
      const timer = ms === FOREVER ? undefined : setTimeout(onElapsed, ms);
      if (this.stop.signal.aborted) return onDialog();
      if (own.aborted) return onOwn();
      own.addEventListener('abort', onOwn, { once: true });
      this.stop.signal.addEventListener('abort', onDialog, { once: true });
    });
  }

  private checkRunning(): void {
    if (this.stop.signal.aborted) throw new DialogStopped();
  }

  private set(name: string, value: string): void {
    this.vars.set(name, value);
  }

  private pick(namelist: string | undefined): Values {
    const names = (namelist ?? '').split(/\s+/).filter(Boolean);
    return names.filter((n) => this.vars.has(n)).map((n) => [n, this.vars.get(n) ?? '']);
  }
}

function iterations(value: string | undefined): number {
  if (value === 'forever') return FOREVER;
  const n = Number(value ?? 1);
  return Number.isInteger(n) && n > 0 ? n : 1;
}

function exitBlock(node: MsmlNode, name: string): readonly MsmlNode[] {
  return node.children.find((c) => c.name === name)?.children ?? [];
}
