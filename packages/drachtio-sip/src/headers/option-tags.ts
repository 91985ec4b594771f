import { SipParseError } from '../errors';

/**
 * Require, Supported, Unsupported, Proxy-Require (option tags) and Allow (methods): a
 * comma-separated list of tokens. An empty Supported header is legal and yields [].
 */
export function parseTokenList(value: string, header: string): string[] {
  return readTokenList(value, header, []);
}

/**
 * token *( "," token ), empty elements allowed. The character classes of token, whitespace and
 * comma are disjoint, so this pattern cannot backtrack: it runs in time linear in the value.
 */
const TOKEN_LIST = /^[ \t]*(?:[A-Za-z0-9\-.!%*_+`'~]+[ \t]*)?(?:,[ \t]*(?:[A-Za-z0-9\-.!%*_+`'~]+[ \t]*)?)*$/;

/** The way nearly every UA writes such a list ("INVITE, ACK, BYE"); it splits exactly at ", ". */
const CANONICAL_LIST = /^(?:[A-Za-z0-9\-.!%*_+`'~]+, )*[A-Za-z0-9\-.!%*_+`'~]+$/;

/** Appends the tokens of one header field to `out`. */
export function readTokenList(value: string, header: string, out: string[]): string[] {
  if (CANONICAL_LIST.test(value)) {
    for (const token of value.split(', ')) out.push(token);
    return out;
  }
  if (!TOKEN_LIST.test(value)) throw new SipParseError(header, `"${value.slice(0, 40)}" is not a comma-separated list of tokens`);
  for (const element of value.split(',')) {
    const token = element.trim();
    if (token !== '') out.push(token);
  }
  return out;
}

export function serializeTokenList(tokens: readonly string[]): string {
  return tokens.join(', ');
}
