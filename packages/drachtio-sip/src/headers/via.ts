import { SipParseError } from '../errors';
import { CharClasses, isIn, isTokenChar } from '../grammar/chars';
import { Params, WithParams, emptyParams, serializeParams } from '../grammar/params';
import { Scanner, sameChars } from '../grammar/scanner';
import { plainNumber } from './numeric';

/**
 * One Via entry (a Via header may carry several, comma-separated). branch, received, rport
 * and maddr mirror the parameters of those names; when serializing, the fields win.
 */
export interface Via {
  /** "SIP/2.0" */
  protocol: string;
  /** Upper-cased: UDP, TCP, TLS, SCTP, WS, WSS. */
  transport: string;
  /** Host name, IPv4 address or IPv6 reference in brackets. */
  host: string;
  port?: number;
  params: Params;
  branch?: string;
  received?: string;
  /** Port number, or true for an rport parameter without value (a request to fill it in). */
  rport?: number | true;
  maddr?: string;
}

/** The parameters Via gives fields of their own, read from `params` on first access. */
interface ViaFields {
  branch: string | undefined;
  received: string | undefined;
  rport: number | true | undefined;
  maddr: string | undefined;
}

class ParsedVia extends WithParams implements Via {
  private fields: ViaFields | undefined = undefined;

  constructor(
    public protocol: string,
    public transport: string,
    public host: string,
    public port: number | undefined,
    source: string,
    paramStart: number,
  ) {
    super(undefined, source, paramStart, 'via');
  }

  get branch(): string | undefined {
    return this.knownFields().branch;
  }

  set branch(branch: string | undefined) {
    this.knownFields().branch = branch;
  }

  get received(): string | undefined {
    return this.knownFields().received;
  }

  set received(received: string | undefined) {
    this.knownFields().received = received;
  }

  get rport(): number | true | undefined {
    return this.knownFields().rport;
  }

  set rport(rport: number | true | undefined) {
    this.knownFields().rport = rport;
  }

  get maddr(): string | undefined {
    return this.knownFields().maddr;
  }

  set maddr(maddr: string | undefined) {
    this.knownFields().maddr = maddr;
  }

  private knownFields(): ViaFields {
    if (this.fields === undefined) {
      const rport = this.param('rport');
      this.fields = {
        branch: this.param('branch') ?? undefined,
        received: this.param('received') ?? undefined,
        rport: rport === null ? true : rport === undefined ? undefined : readRport(rport),
        maddr: this.param('maddr') ?? undefined,
      };
    }
    return this.fields;
  }

  protected publicFields(): readonly string[] {
    return ['protocol', 'transport', 'host', 'port', 'branch', 'received', 'rport', 'maddr'];
  }
}

export function parseVia(value: string): Via {
  const scanner = new Scanner(value, 'via');
  const via = readVia(scanner);
  scanner.expectEnd();
  return via;
}

/**
 * sent-protocol and sent-by as nearly every Via writes them ("SIP/2.0/UDP host:port", before
 * the parameters, the next via-parm or the end), matched in one native pass. Anything else
 * (other spacing or case, an IPv6 reference, a port out of range) takes the general path below,
 * which also gives the errors.
 */
const COMMON_VIA =
  /[ \t]*SIP\/2\.0\/(UDP|TCP|TLS|WSS?|SCTP) ([A-Za-z0-9\-._]+)(?::([0-9]{1,5}))?(?=[;,]|$)/y;

/** One via-parm at the scanner; stops before a ',' that starts the next one. */
export function readVia(scanner: Scanner): Via {
  COMMON_VIA.lastIndex = scanner.i;
  const common = COMMON_VIA.exec(scanner.s);
  if (common !== null) {
    const port = common[3] === undefined ? undefined : plainNumber(common[3], 0, common[3].length);
    if (port === undefined || port <= 65535) {
      scanner.i = COMMON_VIA.lastIndex;
      return viaWithParams(scanner, 'SIP/2.0', common[1], common[2], port);
    }
  }
  const protocol = readProtocol(scanner);
  scanner.expect(47, '"/"');
  const transport = readTransport(scanner);
  scanner.skipWhitespace();
  const host = readHost(scanner);
  const port = scanner.accept(58 /* : */) ? scanner.integer('the port', 65535) : undefined;
  return viaWithParams(scanner, protocol, transport, host, port);
}

/** Checks the parameters at the cursor (read when first asked for) and moves past them. */
function viaWithParams(
  scanner: Scanner,
  protocol: string,
  transport: string,
  host: string,
  port: number | undefined,
): Via {
  const paramStart = scanner.i;
  scanner.genericParams(undefined);
  return new ParsedVia(protocol, transport, host, port, scanner.s, paramStart);
}

/** "SIP/2.0" as nearly every Via writes it, or the general protocol-name "/" protocol-version. */
function readProtocol(scanner: Scanner): string {
  scanner.skipWhitespace();
  if (scanner.s.startsWith('SIP/2.0', scanner.i) && scanner.s.charCodeAt(scanner.i + 7) === 47) {
    scanner.i += 7;
    return 'SIP/2.0';
  }
  const name = scanner.token('the protocol name');
  scanner.expect(47 /* / */, '"/"');
  const version = scanner.token('the protocol version');
  return `${name.toUpperCase()}/${version}`;
}

const TRANSPORTS = ['UDP', 'TCP', 'TLS', 'WS', 'WSS', 'SCTP'];

/** The transport upper-cased; the usual ones as constants rather than new strings. */
function readTransport(scanner: Scanner): string {
  scanner.skipWhitespace();
  const s = scanner.s;
  const i = scanner.i;
  for (const known of TRANSPORTS) {
    if (sameChars(s, i, known) && !isTokenChar(s.charCodeAt(i + known.length))) {
      scanner.i = i + known.length;
      return known;
    }
  }
  return scanner.token('the transport').toUpperCase();
}

function readRport(value: string): number {
  let port = 0;
  for (let i = 0; i < value.length; i++) {
    const digit = value.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9 || i >= 5)
      throw new SipParseError('via', 'rport is not a port number');
    port = port * 10 + digit;
  }
  if (value.length === 0 || port > 65535)
    throw new SipParseError('via', 'rport is not a port number');
  return port;
}

function readHost(scanner: Scanner): string {
  const s = scanner.s;
  const start = scanner.i;
  let i = start;
  if (s.charCodeAt(i) === 91 /* [ */) {
    i++;
    while (i < s.length && isIn(CharClasses.IPV6, s.charCodeAt(i))) i++;
    if (s.charCodeAt(i) !== 93) scanner.fail('malformed IPv6 reference');
    i++;
  } else {
    while (i < s.length && isIn(CharClasses.HOST, s.charCodeAt(i))) i++;
  }
  if (i === start) scanner.fail('missing sent-by host');
  scanner.i = i;
  return s.slice(start, i);
}

export function serializeVia(via: Via): string {
  let out = `${via.protocol}/${via.transport} ${via.host}`;
  if (via.port !== undefined) out += `:${via.port}`;
  const fields: Params = emptyParams();
  for (const name in via.params) fields[name] = via.params[name];
  if (via.branch !== undefined) fields.branch = via.branch;
  if (via.received !== undefined) fields.received = via.received;
  if (via.maddr !== undefined) fields.maddr = via.maddr;
  if (via.rport !== undefined) fields.rport = via.rport === true ? null : String(via.rport);
  return out + serializeParams(fields);
}
