import { SipParseError } from '../errors';
import { isToken } from '../grammar/chars';
import { splitList } from '../grammar/list';

/**
 * Require, Supported, Unsupported, Proxy-Require (option tags) and Allow (methods): a
 * comma-separated list of tokens. An empty Supported header is legal and yields [].
 */
export function parseTokenList(value: string, header: string): string[] {
  const tokens = splitList(value);
  for (const token of tokens) {
    if (!isToken(token)) throw new SipParseError(header, `"${token.slice(0, 40)}" is not a token`);
  }
  return tokens;
}

export function serializeTokenList(tokens: readonly string[]): string {
  return tokens.join(', ');
}
