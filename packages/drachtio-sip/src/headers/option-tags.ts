import { SipParseError } from '../errors';

/**
 * Require, Supported, Unsupported, Proxy-Require (option tags) and Allow (methods): a
 * comma-separated list of tokens. An empty Supported header is legal and yields [].
 */
export function parseTokenList(value: string, header: string): string[] {
  const recent = recentLists.get(value);
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
 * split already. Bounded in entries and value length, so invented values cannot grow it.
 */
const recentLists = new Map<string, readonly string[]>();
const RECENT_LIMIT = 256;
const RECENT_VALUE_LENGTH = 512;

/** Appends the tokens of one header field to `out`. */
export function readTokenList(value: string, header: string, out: string[]): string[] {
  const recent = recentLists.get(value);
  if (recent !== undefined) {
    for (const token of recent) out.push(token);
    return out;
  }
  if (CANONICAL_LIST.test(value)) {
    const tokens = value.split(', ');
    if (value.length <= RECENT_VALUE_LENGTH) {
      if (recentLists.size >= RECENT_LIMIT) recentLists.clear();
      recentLists.set(value, tokens);
    }
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
