import { splitList } from '../grammar/list';
import { AuthHeader, parseAuthHeader, serializeChallenge, serializeCredentials } from './auth';
import { ContentType, parseContentType, serializeContentType } from './content-type';
import { CSeq, parseCSeq, serializeCSeq } from './cseq';
import { Contact, NameAddr, parseContact, parseNameAddr, serializeNameAddr } from './name-addr';
import { CompactForms } from './names';
import { parseNumeric, serializeNumeric } from './numeric';
import { parseTokenList, serializeTokenList } from './option-tags';
import { RAck, parseRAck, serializeRAck } from './rack';
import { MinSE, SessionExpires, parseMinSE, parseSessionExpires, serializeMinSE, serializeSessionExpires } from './session-timer';
import { Via, parseVia, serializeVia } from './via';

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
export type HeaderKeyOf<N extends string> = Lowercase<N> extends keyof CompactForms ? CompactForms[Lowercase<N>] : Lowercase<N>;
/** The type `get(name)` returns for a header name given as a literal. */
export type HeaderValueOf<N extends string> = HeaderKeyOf<N> extends keyof TypedHeaders ? TypedHeaders[HeaderKeyOf<N>] : string;
/** What `set`/`append` accept for a header: its typed form or raw text. */
export type HeaderInput<N extends string> = HeaderValueOf<N> | string | number;

interface Codec {
  /** Parses every field of one header (in message order) into the typed value. */
  parse(values: readonly string[], key: string): unknown;
  /** Serializes a typed value into the text of one header field. */
  serialize(value: never): string;
}

function single<T>(parse: (value: string, key: string) => T, serialize: (value: T) => string): Codec {
  return { parse: (values, key) => parse(values[0], key), serialize };
}

/** Comma-separated elements, possibly spread over several fields. */
function list<T>(parse: (value: string, key: string) => T, serialize: (value: T) => string): Codec {
  return {
    parse(values, key) {
      const out: T[] = [];
      for (const value of values) for (const element of splitList(value)) out.push(parse(element, key));
      return out;
    },
    serialize: (elements: T[]) => elements.map(serialize).join(', '),
  };
}

/** One element per field: auth headers contain commas of their own. */
function perField<T>(parse: (value: string, key: string) => T, serialize: (value: T) => string): Codec {
  return {
    parse: (values, key) => values.map((value) => parse(value, key)),
    serialize: (elements: T[]) => elements.map(serialize).join(', '),
  };
}

const nameAddr = (value: string, key: string) => parseNameAddr(value, key);
const numeric = single(parseNumeric, serializeNumeric);
const tokens = { parse: (values: readonly string[], key: string) => values.flatMap((v) => parseTokenList(v, key)), serialize: serializeTokenList };
const contactList = list(parseContact, serializeNameAddr);

const CODECS: Record<string, Codec> = {
  via: list(parseVia, serializeVia),
  from: single(nameAddr, serializeNameAddr),
  to: single(nameAddr, serializeNameAddr),
  contact: {
    parse: (values, key) => (values.length === 1 && values[0].trim() === '*' ? '*' : contactList.parse(values, key)),
    serialize: (value: Contact[] | '*') => (value === '*' ? '*' : contactList.serialize(value as never)),
  },
  route: list(nameAddr, serializeNameAddr),
  'record-route': list(nameAddr, serializeNameAddr),
  'refer-to': single(nameAddr, serializeNameAddr),
  'referred-by': single(nameAddr, serializeNameAddr),
  'p-asserted-identity': list(nameAddr, serializeNameAddr),
  'p-preferred-identity': list(nameAddr, serializeNameAddr),
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

export function isTypedHeader(key: string): boolean {
  return CODECS[key] !== undefined;
}

/** Parses the fields of a typed header; throws SipParseError naming the header. */
export function parseTypedHeader(key: string, values: readonly string[]): unknown {
  return CODECS[key].parse(values, key);
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
