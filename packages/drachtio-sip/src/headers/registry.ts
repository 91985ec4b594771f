import { SipParseError } from '../errors';
import { Scanner, sameChars } from '../grammar/scanner';
import { AuthHeader, parseAuthHeader, serializeChallenge, serializeCredentials } from './auth';
import { ContentType, parseContentType, serializeContentType } from './content-type';
import { CSeq, parseCSeq, serializeCSeq } from './cseq';
import { Contact, NameAddr, parseNameAddr, readNameAddr, serializeNameAddr } from './name-addr';
import { CompactForms, headerKey } from './names';
import { parseNumeric, serializeNumeric } from './numeric';
import { parseTokenList, readTokenList, serializeTokenList } from './option-tags';
import { RAck, parseRAck, serializeRAck } from './rack';
import {
  MinSE,
  SessionExpires,
  parseMinSE,
  parseSessionExpires,
  serializeMinSE,
  serializeSessionExpires,
} from './session-timer';
import { Via, readVia, serializeVia } from './via';

/**
 * What `message.get(name)` returns for each structured header (by key). Headers that may occur
 * more than once, or carry comma-separated lists, give arrays; all others give one value.
 * Any header not listed here gives its raw value as a string.
 */
export interface TypedHeaders {
  via: Via[];
  from: NameAddr;
  to: NameAddr;
  contact: Contact[] | '*';
  route: NameAddr[];
  'record-route': NameAddr[];
  'refer-to': NameAddr;
  'referred-by': NameAddr;
  'p-asserted-identity': NameAddr[];
  'p-preferred-identity': NameAddr[];
  'call-id': string;
  cseq: CSeq;
  'max-forwards': number;
  'content-length': number;
  'content-type': ContentType;
  expires: number;
  rseq: number;
  rack: RAck;
  'session-expires': SessionExpires;
  'min-se': MinSE;
  require: string[];
  'proxy-require': string[];
  supported: string[];
  unsupported: string[];
  allow: string[];
  'www-authenticate': AuthHeader[];
  'proxy-authenticate': AuthHeader[];
  authorization: AuthHeader[];
  'proxy-authorization': AuthHeader[];
}

/** The key of a header name given as a string literal: lower-cased, compact forms expanded. */
export type HeaderKeyOf<N extends string> =
  Lowercase<N> extends keyof CompactForms ? CompactForms[Lowercase<N>] : Lowercase<N>;
/** The type `get(name)` returns for a header name given as a literal. */
export type HeaderValueOf<N extends string> =
  HeaderKeyOf<N> extends keyof TypedHeaders ? TypedHeaders[HeaderKeyOf<N>] : string;
/** What `set`/`append` accept for a header: its typed form or raw text. */
export type HeaderInput<N extends string> = HeaderValueOf<N> | string | number;

export interface Codec {
  /** True when only the first field counts (From, CSeq, ...); the parser then sees just that value. */
  readonly single: boolean;
  /**
   * Parses the value of one field (single), or of every field in message order (lists: the
   * one value itself when there is only one field, which spares an array per read).
   */
  parse(values: string | readonly string[], key: string): unknown;
  /** Serializes a typed value into the text of one header field. */
  serialize(value: never): string;
}

function single<T>(
  parse: (value: string, key: string) => T,
  serialize: (value: T) => string,
): Codec {
  return { single: true, parse: parse as Codec['parse'], serialize };
}

/**
 * Comma-separated elements, possibly spread over several fields, read in one pass per field.
 * (Only token lists may be empty, an empty Supported saying "nothing"; they have their own codec.)
 */
function list<T>(readElement: (scanner: Scanner) => T, serialize: (value: T) => string): Codec {
  return {
    single: false,
    parse(values, key) {
      const out: T[] = [];
      if (typeof values === 'string') new Scanner(values, key).list(readElement, out);
      else for (const value of values) new Scanner(value, key).list(readElement, out);
      if (out.length === 0) throw new SipParseError(key, 'empty header');
      return out;
    },
    serialize: (elements: T[]) => elements.map(serialize).join(', '),
  };
}

/** One element per field: auth headers contain commas of their own. */
function perField<T>(
  parse: (value: string, key: string) => T,
  serialize: (value: T) => string,
): Codec {
  return {
    single: false,
    parse: (values, key) =>
      typeof values === 'string' ? [parse(values, key)] : values.map((value) => parse(value, key)),
    serialize: (elements: T[]) => elements.map(serialize).join(', '),
  };
}

const nameAddr = (value: string, key: string) => parseNameAddr(value, key);

function onlyValue(values: string | readonly string[]): string | undefined {
  if (typeof values === 'string') return values;
  return values.length === 1 ? values[0] : undefined;
}
const numeric = single(parseNumeric, serializeNumeric);
const tokens: Codec = {
  single: false,
  parse(values, key) {
    if (typeof values === 'string') return parseTokenList(values, key);
    const out: string[] = [];
    for (const value of values) readTokenList(value, key, out);
    return out;
  },
  serialize: serializeTokenList,
};
const contactList = list(readNameAddr, serializeNameAddr);

const CODECS: Readonly<Record<string, Codec>> = {
  via: list(readVia, serializeVia),
  from: single(nameAddr, serializeNameAddr),
  to: single(nameAddr, serializeNameAddr),
  contact: {
    single: false,
    parse: (values, key) =>
      onlyValue(values)?.trim() === '*' ? '*' : contactList.parse(values, key),
    serialize: (value: Contact[] | '*') =>
      value === '*' ? '*' : contactList.serialize(value as never),
  },
  route: list(readNameAddr, serializeNameAddr),
  'record-route': list(readNameAddr, serializeNameAddr),
  'refer-to': single(nameAddr, serializeNameAddr),
  'referred-by': single(nameAddr, serializeNameAddr),
  'p-asserted-identity': list(readNameAddr, serializeNameAddr),
  'p-preferred-identity': list(readNameAddr, serializeNameAddr),
  'call-id': single((value) => value, String),
  cseq: single(parseCSeq, serializeCSeq),
  'max-forwards': numeric,
  'content-length': numeric,
  expires: numeric,
  rseq: numeric,
  'content-type': single(parseContentType, serializeContentType),
  rack: single(parseRAck, serializeRAck),
  'session-expires': single(parseSessionExpires, serializeSessionExpires),
  'min-se': single(parseMinSE, serializeMinSE),
  require: tokens,
  'proxy-require': tokens,
  supported: tokens,
  unsupported: tokens,
  allow: tokens,
  'www-authenticate': perField(parseAuthHeader, serializeChallenge),
  'proxy-authenticate': perField(parseAuthHeader, serializeChallenge),
  authorization: perField(parseAuthHeader, serializeCredentials),
  'proxy-authorization': perField(parseAuthHeader, serializeCredentials),
};

/** Everything the message layer needs to know about one header name, found with one lookup. */
export interface HeaderSpec {
  /** Full name in lower case. */
  readonly key: string;
  /** Undefined for headers without a typed form. */
  readonly codec: Codec | undefined;
  /** Index of this header's slot in a message's cache of typed values; -1 when untyped. */
  readonly slot: number;
}

const TYPED_KEYS = Object.keys(CODECS);
export const TYPED_HEADER_COUNT = TYPED_KEYS.length;
const specsByKey = new Map<string, HeaderSpec>(
  TYPED_KEYS.map((key, slot) => [key, { key, codec: CODECS[key], slot }]),
);

/**
 * The V8-internalized copy of a string (the one a property key uses). Every key the message layer
 * compares is one, so that `field.key === key`, which runs for each field on each header lookup,
 * compiles to a pointer comparison instead of a call comparing characters.
 */
function internalized(s: string): string {
  return Object.keys({ [s]: true })[0];
}

/**
 * Spellings seen so far ("Via", "v", "CSeq"), so each message's header names cost one map
 * lookup and no lower-casing. Network input can invent names, so the cache is bounded.
 */
const specCache = new Map<string, HeaderSpec>();
const SPEC_CACHE_LIMIT = 2000;

export function headerSpec(name: string): HeaderSpec {
  const cached = specCache.get(name);
  if (cached !== undefined) return cached;
  const key = internalized(headerKey(name));
  let spec = specsByKey.get(key);
  if (spec === undefined) {
    spec = { key, codec: undefined, slot: -1 };
    if (specsByKey.size < SPEC_CACHE_LIMIT) specsByKey.set(key, spec);
  }
  if (specCache.size < SPEC_CACHE_LIMIT) specCache.set(name, spec);
  return spec;
}

export function isTypedHeader(key: string): boolean {
  return CODECS[key] !== undefined;
}

/**
 * Parses a typed header: the first field's value for single-valued headers, the value of every
 * field (message order) for the others. Throws SipParseError naming the header.
 */
export function parseTypedHeader(key: string, values: string | readonly string[]): unknown {
  const codec = CODECS[key];
  if (codec.single) return codec.parse(typeof values === 'string' ? values : values[0], key);
  return codec.parse(values, key);
}

/** Text for a header field from a value given in typed form, raw text, or a number. */
export function serializeHeaderValue(key: string, value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  const codec = CODECS[key];
  if (codec === undefined || value === null || typeof value !== 'object') {
    throw new TypeError(`header ${key}: value must be a string or number`);
  }
  return codec.serialize(value as never);
}

/** A header name as nearly every UA spells it, with its key (the very string headerSpec gives). */
export interface WellKnownName {
  readonly name: string;
  readonly key: string;
  /** As in HeaderSpec. */
  readonly slot: number;
  /** The name's bytes, to match it in the received bytes. */
  readonly bytes: Uint8Array;
}

const WELL_KNOWN: readonly string[] = [
  'To',
  'Via',
  'From',
  'CSeq',
  'Route',
  'Allow',
  'Accept',
  'Reason',
  'Call-ID',
  'Contact',
  'Expires',
  'Require',
  'Supported',
  'User-Agent',
  'Max-Forwards',
  'Content-Type',
  'Record-Route',
  'Content-Length',
  'Session-Expires',
  'Min-SE',
  'RSeq',
  'RAck',
  'Event',
  'Server',
  'Refer-To',
  'Allow-Events',
  'P-Asserted-Identity',
  'Authorization',
  'WWW-Authenticate',
  'Proxy-Authorization',
  'Proxy-Authenticate',
  'Content-Disposition',
  'Subscription-State',
  'Unsupported',
  'Date',
  'Subject',
  'Timestamp',
  'v',
  'f',
  't',
  'i',
  'm',
  'l',
  'c',
  'k',
];

/** By length, so a lookup compares a few candidates in place, before any string is cut out. */
const WELL_KNOWN_BY_LENGTH: WellKnownName[][] = [];
for (const name of WELL_KNOWN) {
  const { key, slot } = headerSpec(name);
  (WELL_KNOWN_BY_LENGTH[name.length] ??= []).push({
    name,
    key,
    slot,
    bytes: Buffer.from(name, 'latin1'),
  });
}

/**
 * The well-known spelling found at head[start, end), or undefined. Cheaper than slicing the name
 * and hashing it for a map lookup, on the path every header line takes. `bytes`, when given, is
 * the header section as received, with bytes[offset + i] the code of head[i] (an ASCII header
 * section): comparing bytes costs a fraction of comparing chars.
 */
export function wellKnownName(
  head: string,
  start: number,
  end: number,
  bytes?: Uint8Array,
  offset = 0,
): WellKnownName | undefined {
  const candidates = WELL_KNOWN_BY_LENGTH[end - start];
  if (candidates === undefined) return undefined;
  if (bytes !== undefined) {
    for (const candidate of candidates)
      if (sameBytes(bytes, offset + start, candidate.bytes)) return candidate;
    return undefined;
  }
  for (const candidate of candidates) if (sameChars(head, start, candidate.name)) return candidate;
  return undefined;
}

function sameBytes(bytes: Uint8Array, start: number, word: Uint8Array): boolean {
  for (let k = 0; k < word.length; k++) if (bytes[start + k] !== word[k]) return false;
  return true;
}
