import { CharClasses, isIn } from '../grammar/chars';
import { Params, Scanner, emptyParams, serializeParams } from '../grammar/scanner';

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

export function parseVia(value: string): Via {
  const scanner = new Scanner(value, 'via');
  const name = scanner.token('the protocol name');
  scanner.expect(47 /* / */, '"/"');
  const version = scanner.token('the protocol version');
  scanner.expect(47, '"/"');
  const transport = scanner.token('the transport').toUpperCase();
  scanner.skipWhitespace();
  const via: Via = { protocol: `${name.toUpperCase()}/${version}`, transport, host: readHost(scanner), params: emptyParams() };
  if (scanner.accept(58 /* : */)) via.port = scanner.integer('the port', 65535);
  scanner.genericParams(via.params);
  const { branch, received, rport, maddr } = via.params;
  if (typeof branch === 'string') via.branch = branch;
  if (typeof received === 'string') via.received = received;
  if (typeof maddr === 'string') via.maddr = maddr;
  if (rport === null) via.rport = true;
  else if (typeof rport === 'string') {
    const port = Number(rport);
    if (!/^\d{1,5}$/.test(rport) || port > 65535) scanner.fail('rport is not a port number');
    via.rport = port;
  }
  return via;
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
