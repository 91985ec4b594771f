import { SipParseError } from '../errors';

/**
 * Require, Supported, Unsupported, Proxy-Require (option tags) and Allow (methods): a
 * comma-separated list of tokens. An empty Supported header is legal and yields [].
 */
export function parseTokenList(value: string, header: string): string[] {
  const recent = recentList(value);
  return recent !== undefined ? recent.slice() : readTokenList(value, header, []);
}

/**
 * token *( "," token ), empty elements allowed. The character classes of token, whitespace and
 * comma are disjoint, so this pattern cannot backtrack: it runs in time linear in the value.
 */
const TOKEN_LIST =
  /^[ \t]*(?:[A-Za-z0-9\-.!%*_+`'~]+[ \t]*)?(?:,[ \t]*(?:[A-Za-z0-9\-.!%*_+`'~]+[ \t]*)?)*$/;

/** The way nearly every UA writes such a list ("INVITE, ACK, BYE"); it splits exactly at ", ". */
const CANONICAL_LIST = /^(?:[A-Za-z0-9\-.!%*_+`'~]+, )*[A-Za-z0-9\-.!%*_+`'~]+$/;

/**
 * A UA sends the same Allow and Supported text in every message, so recently seen lists are kept,
 * split already, by length: comparing a value with the few kept of its length costs a fraction of
 * hashing it for a Map lookup (a fresh string each message). Bounded in entries, entries per
 * length and value length, so invented values can neither grow it nor slow the lookups down.
 */
interface RecentList {
  readonly text: string;
  readonly tokens: readonly string[];
}
const RECENT_LIMIT = 256;
const RECENT_PER_LENGTH = 4;
const RECENT_VALUE_LENGTH = 512;
let recentLists = new Array<RecentList[] | undefined>(RECENT_VALUE_LENGTH + 1);
let recentCount = 0;

function recentList(value: string): readonly string[] | undefined {
  const sameLength = recentLists[value.length];
  if (sameLength !== undefined)
    for (const recent of sameLength) if (recent.text === value) return recent.tokens;
  return undefined;
}

function remember(value: string, tokens: readonly string[]): void {
  if (value.length > RECENT_VALUE_LENGTH) return;
  if (recentCount >= RECENT_LIMIT) {
    recentLists = new Array<RecentList[] | undefined>(RECENT_VALUE_LENGTH + 1);
    recentCount = 0;
  }
  const sameLength = (recentLists[value.length] ??= []);
  if (sameLength.length >= RECENT_PER_LENGTH) sameLength.shift();
  else recentCount++;
  sameLength.push({ text: value, tokens });
}

/** Appends the tokens of one header field to `out`. */
export function readTokenList(value: string, header: string, out: string[]): string[] {
  const recent = recentList(value);
  if (recent !== undefined) {
    for (const token of recent) out.push(token);
    return out;
  }
  if (CANONICAL_LIST.test(value)) {
    const tokens = value.split(', ');
    remember(value, tokens);
    for (const token of tokens) out.push(token);
    return out;
  }
  if (!TOKEN_LIST.test(value))
    throw new SipParseError(
      header,
      `"${value.slice(0, 40)}" is not a comma-separated list of tokens`,
    );
  for (const element of value.split(',')) {
    const token = element.trim();
    if (token !== '') out.push(token);
  }
  return out;
}

export function serializeTokenList(tokens: readonly string[]): string {
  return tokens.join(', ');
}
