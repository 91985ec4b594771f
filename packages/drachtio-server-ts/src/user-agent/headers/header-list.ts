/**
 * Application headers (the wire's HeaderMap) turned into SIP header lines, with protected
 * headers dropped and reported, and CR/LF injection refused.
 */
import type { HeaderMap } from 'drachtio-protocol';
import { canonicalHeaderName, headerKey } from 'drachtio-sip';
import { isProtected } from './protected-headers';

export interface HeaderList {
  /** Lines "Name: value" in the application's order. */
  lines: string[];
  /** Header key (lower-case, long-form) -> first value, for the engine's own decisions. */
  values: Map<string, string>;
  /** Names the application tried to set but may not. */
  dropped: string[];
}

const HEADER_NAME = /^[A-Za-z0-9!%*_+`'~.-]+$/;

export class HeaderError extends Error {
  override readonly name = 'HeaderError';
}

export function headerList(
  headers: HeaderMap | undefined,
  context: 'new-request' | 'dialog',
): HeaderList {
  const list: HeaderList = { lines: [], values: new Map(), dropped: [] };
  if (!headers) return list;
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name)) throw new HeaderError(`invalid header name "${name}"`);
    const key = headerKey(name);
    if (isProtected(key, context)) {
      list.dropped.push(name);
      continue;
    }
    // 'user-agent' goes out as User-Agent; a spelling the application chose ('X-My-thingy') stays.
    const spelled = name === key ? canonicalHeaderName(key) : name;
    const values = Array.isArray(value) ? (value as readonly string[]) : [String(value)];
    for (const item of values) {
      const text = String(item);
      if (/[\r\n]/.test(text)) throw new HeaderError(`header "${name}" contains a line break`);
      list.lines.push(`${spelled}: ${text}`);
      if (!list.values.has(key)) list.values.set(key, text);
    }
  }
  return list;
}

/** True when a comma-separated option-tag header value (Require, Supported) lists `tag`. */
export function hasOptionTag(value: string | undefined, tag: string): boolean {
  if (!value) return false;
  return value.split(',').some((item) => item.trim().toLowerCase() === tag);
}
