import {
  ParamList,
  Params,
  WithParams,
  findParam,
  paramsFromList,
  serializeParams,
} from '../grammar/params';
import { Scanner } from '../grammar/scanner';

/** Session-Expires (RFC 4028): interval in seconds and who refreshes. */
export interface SessionExpires {
  delta: number;
  refresher?: 'uac' | 'uas';
  params: Params;
}

/** Min-SE (RFC 4028): the smallest session interval the sender accepts. */
export interface MinSE {
  delta: number;
  params: Params;
}

const MAX_DELTA = 2 ** 32 - 1;

class ParsedSessionTimer extends WithParams implements SessionExpires {
  refresher: 'uac' | 'uas' | undefined = undefined;

  constructor(
    public delta: number,
    paramList: ParamList,
  ) {
    super(paramList);
  }

  protected publicFields(): readonly string[] {
    return ['delta', 'refresher'];
  }
}

export function parseSessionExpires(value: string): SessionExpires {
  const scanner = new Scanner(value, 'session-expires');
  const delta = scanner.integer('delta-seconds', MAX_DELTA);
  const paramList = scanner.genericParams([], -1);
  const result = new ParsedSessionTimer(delta, paramList);
  const refresher = findParam(paramList, 'refresher')?.toLowerCase();
  if (refresher === 'uac' || refresher === 'uas') result.refresher = refresher;
  else if (refresher !== undefined) scanner.fail('refresher must be uac or uas');
  return result;
}

export function serializeSessionExpires(se: SessionExpires): string {
  const refresher = se.refresher === undefined ? '' : `;refresher=${se.refresher}`;
  const others = paramsFromList([]);
  for (const name in se.params) if (name !== 'refresher') others[name] = se.params[name];
  return `${se.delta}${refresher}${serializeParams(others)}`;
}

export function parseMinSE(value: string): MinSE {
  const scanner = new Scanner(value, 'min-se');
  const delta = scanner.integer('delta-seconds', MAX_DELTA);
  return new ParsedSessionTimer(delta, scanner.genericParams([], -1));
}

export function serializeMinSE(minSE: MinSE): string {
  return `${minSE.delta}${serializeParams(minSE.params)}`;
}
