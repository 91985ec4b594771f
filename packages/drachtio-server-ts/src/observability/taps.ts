/**
 * The observers of the transport tap (SIP trace, HEP, metrics) behind the engine's one tap.
 * Whichever are on are composed into one function; with none on, the engine gets no tap and
 * pays nothing. The trace can be switched on and off at run time (SIGHUP).
 */
import type { Engine } from '../engine';
import type { MessageTap } from '../transport/tap';

export type TapName = 'trace' | 'hep' | 'metrics';

export class Taps {
  private readonly taps = new Map<TapName, MessageTap>();

  constructor(private readonly engine: Engine) {}

  has(name: TapName): boolean {
    return this.taps.has(name);
  }

  set(name: TapName, tap: MessageTap | undefined): void {
    if (tap) this.taps.set(name, tap);
    else this.taps.delete(name);
    this.engine.tapMessages(compose([...this.taps.values()]));
  }
}

function compose(taps: MessageTap[]): MessageTap | undefined {
  if (taps.length === 0) return undefined;
  if (taps.length === 1) return taps[0];
  return (direction, data, remote, local) => {
    for (const tap of taps) tap(direction, data, remote, local);
  };
}
