import {
  ParamList,
  Params,
  WithParams,
  findParam,
  paramsFromList,
  serializeParams,
} from '../grammar/params';
import { Scanner } from '../grammar/scanner';
import { plainNumber } from './numeric';

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
  const common = commonSessionExpires(value);
  if (common !== undefined) return common;
  const scanner = new Scanner(value, 'session-expires');
  const delta = scanner.integer('delta-seconds', MAX_DELTA);
  const paramList = scanner.genericParams([], -1);
  const result = new ParsedSessionTimer(delta, paramList);
  const refresher = findParam(paramList, 'refresher')?.toLowerCase();
  if (refresher === 'uac' || refresher === 'uas') result.refresher = refresher;
  else if (refresher !== undefined) scanner.fail('refresher must be uac or uas');
  return result;
}

const REFRESHER = ';refresher=';

/**
 * "1800" or "1800;refresher=uac" (or uas), the way nearly every UA writes Session-Expires, read
 * without a scanner; undefined for anything else, which the general path reads.
 */
function commonSessionExpires(value: string): SessionExpires | undefined {
  const semi = value.indexOf(';');
  const delta = plainNumber(value, 0, semi < 0 ? value.length : semi);
  if (delta < 0 || delta > MAX_DELTA) return undefined;
  if (semi < 0) return new ParsedSessionTimer(delta, []);
  if (value.length !== semi + REFRESHER.length + 3 || !value.startsWith(REFRESHER, semi))
    return undefined;
  const refresher = value.slice(semi + REFRESHER.length);
  if (refresher !== 'uac' && refresher !== 'uas') return undefined;
  const result = new ParsedSessionTimer(delta, ['refresher', refresher]);
  result.refresher = refresher;
  return result;
}

export function serializeSessionExpires(se: SessionExpires): string {
  const refresher = se.refresher === undefined ? '' : `;refresher=${se.refresher}`;
  const others = paramsFromList([]);
  for (const name in se.params) if (name !== 'refresher') others[name] = se.params[name];
  return `${se.delta}${refresher}${serializeParams(others)}`;
}

export function parseMinSE(value: string): MinSE {
  // the usual form, a bare number, without a scanner
  const plain = plainNumber(value, 0, value.length);
  if (plain >= 0 && plain <= MAX_DELTA) return new ParsedSessionTimer(plain, []);
  const scanner = new Scanner(value, 'min-se');
  const delta = scanner.integer('delta-seconds', MAX_DELTA);
  return new ParsedSessionTimer(delta, scanner.genericParams([], -1));
}

export function serializeMinSE(minSE: MinSE): string {
  return `${minSE.delta}${serializeParams(minSE.params)}`;
}
