import { Scanner } from '../grammar/scanner';

/**
 * Require, Supported, Unsupported, Proxy-Require (option tags) and Allow (methods): a
 * comma-separated list of tokens. An empty Supported header is legal and yields [].
 */
export function parseTokenList(value: string, header: string): string[] {
  return readTokenList(new Scanner(value, header));
}

export function readTokenList(scanner: Scanner, out: string[] = []): string[] {
  return scanner.list(readToken, out);
}

export function readToken(scanner: Scanner): string {
  return scanner.token('a token');
}

export function serializeTokenList(tokens: readonly string[]): string {
  return tokens.join(', ');
}
