import { canonicalHeaderName } from '../headers/names';
import {
  HeaderInput,
  HeaderKeyOf,
  HeaderValueOf,
  TYPED_HEADER_COUNT,
  TypedHeaders,
  headerSpec,
  serializeHeaderValue,
} from '../headers/registry';
import { Uri, parseUri } from '../uri/uri';
import { HeaderField, headerField } from './header-field';

/** Headers every parsed message is guaranteed to carry (parseMessage rejects a message without them). */
type MandatoryKey = 'via' | 'from' | 'to' | 'call-id' | 'cseq';

/** Any value `get` can return for a name only known at run time. */
export type AnyHeaderValue = TypedHeaders[keyof TypedHeaders] | string;

/** The type `get(name)` returns: typed for structured headers, raw text otherwise. */
export type GetResult<N extends string> = string extends N
  ? AnyHeaderValue | undefined
  : HeaderKeyOf<N> extends MandatoryKey
    ? HeaderValueOf<N>
    : HeaderValueOf<N> | undefined;

/** Headers for a message being built: [name, value] pairs or an object of name to value(s). */
export type HeaderInit =
  | ReadonlyArray<readonly [string, string]>
  | Readonly<Record<string, string | number | readonly string[]>>;

export interface MessageInit {
  /** "SIP/2.0" unless given. */
  version?: string;
  headers?: HeaderInit;
  body?: string;
}

/**
 * Where the parser found each typed header, by HeaderSpec slot: ~index (a negative number) of
 * its only field, SEVERAL_FIELDS, or undefined when absent. The array becomes the message's cache
 * of typed values (no typed value is a negative number), so the first read of a header goes
 * straight to its field instead of comparing every field's key. It costs memory only where no
 * typed header is ever read (a server reads several of each message).
 */
export type FieldPositions = unknown[];
/**
 * No field's position (there are at most 256), and a small integer: a double here would turn the
 * array into one of doubles, and each parsed value stored later would turn it back, copying it.
 */
const SEVERAL_FIELDS = -(2 ** 30);

export function noteField(positions: FieldPositions, slot: number, index: number): void {
  positions[slot] = positions[slot] === undefined ? ~index : SEVERAL_FIELDS;
}

function isPosition(cached: unknown): boolean {
  return typeof cached === 'number' && cached < 0;
}

/** Where the body still sits, undecoded, in the received bytes (decoded on first read). */
export interface PendingBody {
  source: Buffer;
  start: number;
  end: number;
}

/**
 * What requests and responses share: headers and body. Header values stay raw text until a
 * typed value is asked for; the parsed value is then cached until that header changes.
 */
export abstract class SipMessage {
  version: string;
  private fields: HeaderField[];
  /** Typed values parsed so far, by HeaderSpec slot; for a parsed message, FieldPositions until then. */
  private typedCache: unknown[] | undefined;
  private bodyText: string | undefined;
  private pendingBody: PendingBody | undefined;

  protected constructor(init: MessageInit | undefined) {
    this.version = init?.version ?? 'SIP/2.0';
    this.fields = init?.headers ? fieldsFrom(init.headers) : [];
    this.bodyText = init?.body ?? '';
  }

  /** The start line, without CRLF. */
  abstract get startLine(): string;

  get body(): string {
    if (this.bodyText === undefined) {
      const { source, start, end } = this.pendingBody as PendingBody;
      this.bodyText = source.toString('utf8', start, end);
      this.pendingBody = undefined;
    }
    return this.bodyText;
  }

  set body(text: string) {
    this.bodyText = text;
    this.pendingBody = undefined;
  }

  /** Header fields in message order, as received (or as set). */
  get headerFields(): readonly HeaderField[] {
    return this.fields;
  }

  /** Every header by key (lower-case full name), repeated headers joined with ", ". */
  get headers(): Record<string, string> {
    const out: Record<string, string> = Object.create(null);
    for (const field of this.fields) {
      const previous = out[field.key];
      out[field.key] = previous === undefined ? field.value : `${previous}, ${field.value}`;
    }
    return out;
  }

  /**
   * The header's typed value (`get('from').tag`, `get('via')[0].branch`, `get('cseq').seq`)
   * or, for headers without a typed form, its raw value. Parsed on first access, then cached.
   * Throws SipParseError when the header is malformed; undefined when absent.
   */
  get<N extends string>(name: N): GetResult<N> {
    const { key, codec, slot } = headerSpec(name);
    if (codec === undefined) return this.rawValue(key) as GetResult<N>;
    const cached = this.typedCache?.[slot];
    if (cached !== undefined && !isPosition(cached)) return cached as GetResult<N>;
    const values =
      this.onlyFieldAt(cached) ?? (codec.single ? this.firstValue(key) : this.fieldValues(key));
    if (values === undefined) return undefined as GetResult<N>;
    const typed = codec.parse(values, key);
    (this.typedCache ??= new Array<unknown>(TYPED_HEADER_COUNT))[slot] = typed;
    return typed as GetResult<N>;
  }

  /** The raw value; repeated headers joined with ", ". */
  getHeader(name: string): string | undefined {
    return this.rawValue(headerSpec(name).key);
  }

  /** The raw value of each field of this header, one entry per header line. */
  getHeaders(name: string): string[] {
    return this.valuesOf(headerSpec(name).key);
  }

  has(name: string): boolean {
    const key = headerSpec(name).key;
    for (const field of this.fields) if (field.key === key) return true;
    return false;
  }

  /** Replaces every field of the header by one field, at the position of the first it replaces. */
  set<N extends string>(name: N, value: HeaderInput<N>): this {
    const key = headerSpec(name).key;
    const field = this.newField(name, key, value);
    const index = this.fields.findIndex((f) => f.key === key);
    this.fields = this.fields.filter((f) => f.key !== key);
    this.fields.splice(index < 0 ? this.fields.length : index, 0, field);
    this.forget(key);
    return this;
  }

  /** Adds a field after the last field of the same header (or at the end). */
  append<N extends string>(name: N, value: HeaderInput<N>): this {
    const key = headerSpec(name).key;
    const field = this.newField(name, key, value);
    let last = -1;
    for (let i = 0; i < this.fields.length; i++) if (this.fields[i].key === key) last = i;
    this.fields.splice(last < 0 ? this.fields.length : last + 1, 0, field);
    this.forget(key);
    return this;
  }

  /** Adds a field before the first field of the same header (a proxy's Via, a Record-Route). */
  prepend<N extends string>(name: N, value: HeaderInput<N>): this {
    const key = headerSpec(name).key;
    const field = this.newField(name, key, value);
    const first = this.fields.findIndex((f) => f.key === key);
    this.fields.splice(first < 0 ? this.fields.length : first, 0, field);
    this.forget(key);
    return this;
  }

  /** Removes every field of the header; returns whether there was one. */
  remove(name: string): boolean {
    const key = headerSpec(name).key;
    const before = this.fields.length;
    this.fields = this.fields.filter((f) => f.key !== key);
    this.forget(key);
    return this.fields.length !== before;
  }

  /** The message on the wire: Content-Length always states the body's byte length. */
  toString(): string {
    const body = this.body;
    const contentLength = String(Buffer.byteLength(body, 'utf8'));
    let out = this.startLine + '\r\n';
    let wroteLength = false;
    for (const field of this.fields) {
      if (field.key === 'content-length') {
        if (wroteLength) continue;
        wroteLength = true;
        out += `${field.name}: ${contentLength}\r\n`;
      } else {
        out += `${field.name}: ${field.value}\r\n`;
      }
    }
    if (!wroteLength) out += `Content-Length: ${contentLength}\r\n`;
    return out + '\r\n' + body;
  }

  toBuffer(): Buffer {
    return Buffer.from(this.toString(), 'utf8');
  }

  /** For the parser: fields come keyed already; the body is decoded only if someone reads it. */
  protected adopt(
    fields: HeaderField[],
    body: PendingBody | string,
    positions: FieldPositions | undefined,
  ): void {
    this.fields = fields;
    this.typedCache = positions;
    if (typeof body === 'string') {
      this.bodyText = body;
    } else {
      this.bodyText = undefined;
      this.pendingBody = body;
    }
  }

  private forget(key: string): void {
    const cache = this.typedCache;
    if (cache === undefined) return;
    const slot = headerSpec(key).slot;
    if (slot >= 0) cache[slot] = undefined;
    // the fields have moved: where the parser found the others no longer holds
    for (let s = 0; s < cache.length; s++) if (isPosition(cache[s])) cache[s] = undefined;
  }

  /** The value of the header's only field, when the parser noted where that is. */
  private onlyFieldAt(position: unknown): string | undefined {
    return isPosition(position) && position !== SEVERAL_FIELDS
      ? this.fields[~(position as number)].value
      : undefined;
  }

  private rawValue(key: string): string | undefined {
    let out: string | undefined;
    for (const field of this.fields) {
      if (field.key === key) out = out === undefined ? field.value : `${out}, ${field.value}`;
    }
    return out;
  }

  private firstValue(key: string): string | undefined {
    for (const field of this.fields) if (field.key === key) return field.value;
    return undefined;
  }

  /** The one field's value, or all values in order when the header has several fields. */
  private fieldValues(key: string): string | string[] | undefined {
    let first: string | undefined;
    let all: string[] | undefined;
    for (const field of this.fields) {
      if (field.key !== key) continue;
      if (first === undefined) first = field.value;
      else (all ??= [first]).push(field.value);
    }
    return all ?? first;
  }

  private valuesOf(key: string): string[] {
    const out: string[] = [];
    for (const field of this.fields) if (field.key === key) out.push(field.value);
    return out;
  }

  private newField(name: string, key: string, value: unknown): HeaderField {
    const text = serializeHeaderValue(key, value);
    if (/[\r\n]/.test(text)) throw new TypeError(`header ${name}: value must not contain CR or LF`);
    return {
      name: name.length === 1 || name === key ? canonicalHeaderName(key) : name,
      key,
      value: text,
    };
  }
}

function fieldsFrom(init: HeaderInit): HeaderField[] {
  const fields: HeaderField[] = [];
  if (Array.isArray(init)) {
    for (const [name, value] of init as ReadonlyArray<readonly [string, string]>)
      fields.push(headerField(name, value));
    return fields;
  }
  const record = init as Readonly<Record<string, string | number | readonly string[]>>;
  for (const name of Object.keys(record)) {
    const value = record[name];
    const values = Array.isArray(value) ? (value as readonly string[]) : [String(value)];
    const key = headerSpec(name).key;
    const display = name === key ? canonicalHeaderName(key) : name;
    for (const v of values) fields.push({ name: display, key, value: v });
  }
  return fields;
}

export class SipRequest extends SipMessage {
  method: string;
  /** The Request-URI as written. */
  uri: string;
  private parsedUrl: Uri | undefined;
  private parsedUrlSource: string | undefined;

  constructor(method: string, uri: string, init?: MessageInit) {
    super(init);
    this.method = method;
    this.uri = uri;
  }

  /** @internal parseMessage's constructor. */
  static fromWire(
    method: string,
    uri: string,
    version: string,
    fields: HeaderField[],
    body: PendingBody | string,
    positions?: FieldPositions,
  ): SipRequest {
    const request = new SipRequest(method, uri);
    request.version = version;
    request.adopt(fields, body, positions);
    return request;
  }

  /** The Request-URI, parsed on first access (again whenever `uri` changes). */
  get url(): Uri {
    if (this.parsedUrl === undefined || this.parsedUrlSource !== this.uri) {
      this.parsedUrl = parseUri(this.uri);
      this.parsedUrlSource = this.uri;
    }
    return this.parsedUrl;
  }

  get startLine(): string {
    return `${this.method} ${this.uri} ${this.version}`;
  }
}

export class SipResponse extends SipMessage {
  status: number;
  reason: string;

  constructor(status: number, reason: string, init?: MessageInit) {
    super(init);
    this.status = status;
    this.reason = reason;
  }

  /** @internal parseMessage's constructor. */
  static fromWire(
    status: number,
    reason: string,
    version: string,
    fields: HeaderField[],
    body: PendingBody | string,
    positions?: FieldPositions,
  ): SipResponse {
    const response = new SipResponse(status, reason);
    response.version = version;
    response.adopt(fields, body, positions);
    return response;
  }

  get startLine(): string {
    return `${this.version} ${this.status} ${this.reason}`;
  }
}

export { HeaderField };
