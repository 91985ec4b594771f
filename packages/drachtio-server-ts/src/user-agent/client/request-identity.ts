/**
 * What an application may say about the identity of a request outside a dialog (RFC 3261
 * 8.1.1): its own Call-ID and CSeq, checked before use; and the credentials a retry replaces
 * (22.2).
 */
import { headerKey, parseCSeq, type CSeq } from 'drachtio-sip';
import { EngineError } from '../../engine-api';

/**
 * Headers of a new request that the engine writes itself from its RequestParts, so an
 * application's line for one (however spelled) must not go out a second time.
 */
const WRITTEN_BY_ENGINE: ReadonlySet<string> = new Set(['from', 'to', 'call-id', 'cseq']);

/**
 * The application's "Name: value" lines split in one pass: the values of the headers the engine
 * writes itself, by header key (all of them, so a repeated Call-ID or CSeq is noticed), and
 * every other line as it was.
 */
export function separateIdentity(lines: readonly string[]): {
  identity: Map<string, string[]>;
  others: string[];
} {
  const identity = new Map<string, string[]>();
  const others: string[] = [];
  for (const line of lines) {
    const colon = line.indexOf(':');
    const key = headerKey(line.slice(0, colon));
    if (!WRITTEN_BY_ENGINE.has(key)) others.push(line);
    else identity.set(key, [...(identity.get(key) ?? []), line.slice(colon + 1).trim()]);
  }
  return { identity, others };
}

/**
 * RFC 3261 25.1: callid = word [ "@" word ], a word being these characters and nothing else
 * (no whitespace: the value goes onto the wire as is and keys the far end's state).
 */
const CALL_ID = /^[\w\-.!%*+`'~()<>:\\"/[\]?{}]+(?:@[\w\-.!%*+`'~()<>:\\"/[\]?{}]+)?$/;

/** RFC 3261 8.1.1.5: a CSeq number is below 2**31. */
const MAX_CSEQ = 2 ** 31 - 1;

/**
 * The Call-ID an application gave a request outside a dialog (an authentication retry, a
 * registration refresh), or undefined for a fresh one. Refused when it is no valid Call-ID.
 */
export function chosenCallId(values: readonly string[]): string | undefined {
  if (values.length === 0) return undefined;
  const [value] = values;
  if (values.length > 1 || value === undefined || !CALL_ID.test(value)) {
    throw new EngineError(
      'invalid-argument',
      `invalid Call-ID ${JSON.stringify(values.join(', '))}`,
    );
  }
  return value;
}

/**
 * The CSeq number an application gave a request outside a dialog, or undefined for 1. The
 * value must be "<number> <METHOD>" naming the request's own method: the engine writes the
 * header from the method it sends, and a silently different one would mislead the caller.
 */
export function chosenCSeq(values: readonly string[], method: string): number | undefined {
  if (values.length === 0) return undefined;
  const cseq = values.length === 1 ? cseqOrUndefined(values[0] ?? '') : undefined;
  if (!cseq || cseq.method !== method || cseq.seq > MAX_CSEQ) {
    throw new EngineError(
      'invalid-argument',
      `invalid CSeq ${JSON.stringify(values.join(', '))}: expected "<number below 2^31> ${method}"`,
    );
  }
  return cseq.seq;
}

function cseqOrUndefined(value: string): CSeq | undefined {
  try {
    return parseCSeq(value);
  } catch {
    return undefined;
  }
}

/** Authorization and Proxy-Authorization: a retry replaces them with the application's new ones. */
export function isCredentials(line: string): boolean {
  const key = headerKey(line.slice(0, line.indexOf(':')));
  return key === 'authorization' || key === 'proxy-authorization';
}
