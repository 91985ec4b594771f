import { ProtocolError } from './errors';
import { LIMITS } from './limits';
import type {
  CommandMap,
  CommandName,
  DialogEvent,
  Envelope,
  HeaderMap,
  NotifyName,
  RequestEnvelope,
  ResponseEnvelope,
  NotifyEnvelope,
  WireError,
  ErrorCode,
} from './messages';

/**
 * Turns whatever JSON.parse produced into a typed Envelope, or throws a ProtocolError saying
 * exactly which field is wrong. Nothing from the network is trusted: every field is checked for
 * presence, type and size before the rest of the program sees it.
 */

type Json = Record<string, unknown>;

/** Every command of the protocol (its newest version), as validation accepts them. */
export const COMMAND_NAMES: readonly CommandName[] = [
  'authenticate',
  'route',
  'respond',
  'request',
  'ack',
  'cancel',
  'ping',
  'proxy',
];
/** Every notification of the protocol (its newest version). */
export const NOTIFY_NAMES: readonly NotifyName[] = [
  'request',
  'response',
  'cancel',
  'dialog',
  'proxy',
];
const FORKING_MODES: readonly string[] = ['sequential', 'simultaneous'];
const DIALOG_EVENTS: readonly DialogEvent[] = ['early', 'confirmed', 'terminated'];
const ERROR_CODES: readonly ErrorCode[] = [
  'bad-frame',
  'bad-json',
  'unknown-command',
  'invalid-argument',
  'not-authenticated',
  'auth-failed',
  'unsupported-version',
  'unknown-transaction',
  'unknown-dialog',
  'invalid-state',
  'send-failed',
];
const SIP_TOKEN = /^[A-Za-z0-9.!%*_+`'~-]+$/;

export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && (COMMAND_NAMES as readonly string[]).includes(name);
}

export function isNotifyName(name: unknown): name is NotifyName {
  return typeof name === 'string' && (NOTIFY_NAMES as readonly string[]).includes(name);
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Field checks share one shape: where we are (for the message) and the rid (for the reply). */
class Checker {
  constructor(
    private readonly where: string,
    private readonly rid?: string,
  ) {}

  fail(message: string): never {
    throw new ProtocolError('invalid-argument', `${this.where}: ${message}`, this.rid);
  }

  object(value: unknown, field: string): Json {
    if (!isObject(value)) this.fail(`'${field}' must be an object`);
    return value;
  }

  string(obj: Json, field: string, maxLength: number): string {
    const value = obj[field];
    if (typeof value !== 'string') this.fail(`'${field}' must be a string`);
    if (value.length > maxLength) this.fail(`'${field}' is longer than ${maxLength} characters`);
    return value;
  }

  optionalString(obj: Json, field: string, maxLength: number): string | undefined {
    return obj[field] === undefined ? undefined : this.string(obj, field, maxLength);
  }

  nonEmptyString(obj: Json, field: string, maxLength: number): string {
    const value = this.string(obj, field, maxLength);
    if (value.length === 0) this.fail(`'${field}' must not be empty`);
    return value;
  }

  integer(obj: Json, field: string, min: number, max: number): number {
    const value = obj[field];
    if (typeof value !== 'number' || !Number.isInteger(value))
      this.fail(`'${field}' must be an integer`);
    if (value < min || value > max) this.fail(`'${field}' must be between ${min} and ${max}`);
    return value;
  }

  array(obj: Json, field: string, maxItems: number, allowEmpty = false): unknown[] {
    const value = obj[field];
    if (!Array.isArray(value)) this.fail(`'${field}' must be an array`);
    if (value.length === 0 && !allowEmpty) this.fail(`'${field}' must be a non-empty array`);
    if (value.length > maxItems) this.fail(`'${field}' lists more than ${maxItems} entries`);
    return value;
  }

  method(obj: Json, field: string): string {
    const value = this.nonEmptyString(obj, field, LIMITS.methodLength);
    if (!SIP_TOKEN.test(value)) this.fail(`'${field}' is not a SIP method token`);
    return value;
  }

  headers(obj: Json): HeaderMap | undefined {
    if (obj.headers === undefined) return undefined;
    const headers = this.object(obj.headers, 'headers');
    const names = Object.keys(headers);
    if (names.length > LIMITS.headers) this.fail(`more than ${LIMITS.headers} headers`);
    for (const name of names) {
      if (name.length === 0 || name.length > LIMITS.headerNameLength || !SIP_TOKEN.test(name)) {
        this.fail(`header name '${name.slice(0, 40)}' is not a SIP token`);
      }
      this.headerValue(name, headers[name]);
    }
    return headers as HeaderMap;
  }

  private headerValue(name: string, value: unknown): void {
    if (typeof value === 'number' && Number.isFinite(value)) return;
    const values = Array.isArray(value) ? value : [value];
    if (values.length > LIMITS.headerValues)
      this.fail(`header '${name}' repeats more than ${LIMITS.headerValues} times`);
    for (const item of values) {
      if (typeof item !== 'string')
        this.fail(`header '${name}' must be a string, a number or an array of strings`);
      if (item.length > LIMITS.headerValueLength)
        this.fail(`header '${name}' is longer than ${LIMITS.headerValueLength} characters`);
      if (/[\r\n]/.test(item)) this.fail(`header '${name}' contains a line break`);
    }
  }

  body(obj: Json): void {
    if (obj.body !== undefined && typeof obj.body !== 'string')
      this.fail(`'body' must be a string`);
  }
}

const validators: { [C in CommandName]: (data: Json, check: Checker) => CommandMap[C][0] } = {
  authenticate(data, check) {
    check.string(data, 'secret', LIMITS.secretLength);
    check.optionalString(data, 'appName', LIMITS.idLength);
    const versions = check.array(data, 'versions', LIMITS.versions);
    if (!versions.every((v) => Number.isInteger(v)))
      check.fail(`'versions' must contain integers only`);
    return data as unknown as CommandMap['authenticate'][0];
  },
  route(data, check) {
    // An application that only sends requests registers no verbs: an empty list is fine.
    const verbs = check.array(data, 'verbs', LIMITS.verbs, true);
    for (const verb of verbs) {
      if (typeof verb !== 'string' || verb.length > LIMITS.methodLength || !SIP_TOKEN.test(verb)) {
        check.fail(`'verbs' must contain SIP methods only`);
      }
    }
    return data as unknown as CommandMap['route'][0];
  },
  respond(data, check) {
    check.nonEmptyString(data, 'transactionId', LIMITS.idLength);
    check.integer(data, 'status', 100, 699);
    check.optionalString(data, 'reason', LIMITS.reasonLength);
    if (typeof data.reason === 'string' && /[\r\n]/.test(data.reason))
      check.fail(`'reason' contains a line break`);
    check.headers(data);
    check.body(data);
    return data as unknown as CommandMap['respond'][0];
  },
  request(data, check) {
    check.method(data, 'method');
    check.optionalString(data, 'uri', LIMITS.uriLength);
    check.optionalString(data, 'dialogId', LIMITS.idLength);
    check.optionalString(data, 'proxy', LIMITS.uriLength);
    check.optionalString(data, 'retryOf', LIMITS.idLength);
    if (data.retryOf !== undefined) {
      const given = ['uri', 'dialogId', 'body', 'proxy'].filter(
        (field) => data[field] !== undefined,
      );
      if (given.length > 0)
        check.fail(
          `'retryOf' re-sends the challenged request as it was: '${given[0]}' comes from it`,
        );
    } else if (data.uri === undefined && data.dialogId === undefined)
      check.fail(`'uri' is required outside a dialog`);
    check.headers(data);
    check.body(data);
    return data as unknown as CommandMap['request'][0];
  },
  ack(data, check) {
    check.nonEmptyString(data, 'transactionId', LIMITS.idLength);
    check.headers(data);
    check.body(data);
    return data as unknown as CommandMap['ack'][0];
  },
  cancel(data, check) {
    check.nonEmptyString(data, 'transactionId', LIMITS.idLength);
    check.headers(data);
    return data as unknown as CommandMap['cancel'][0];
  },
  ping(_data) {
    return {} as CommandMap['ping'][0];
  },
  proxy(data, check) {
    check.nonEmptyString(data, 'transactionId', LIMITS.idLength);
    const destinations = check.array(data, 'destinations', LIMITS.proxyDestinations);
    const isUri = (value: unknown) =>
      typeof value === 'string' && value.length > 0 && value.length <= LIMITS.uriLength;
    for (const destination of destinations) {
      if (isUri(destination)) continue;
      const entry = destination as Json;
      const route = isObject(destination) ? entry.route : undefined;
      const routeOk =
        route === undefined ||
        (Array.isArray(route) && route.length <= LIMITS.proxyDestinations && route.every(isUri));
      if (!isObject(destination) || !isUri(entry.uri) || !routeOk) {
        check.fail(
          `'destinations' must contain SIP URIs, or {uri, route} with at most ${LIMITS.proxyDestinations} route entries, each at most ${LIMITS.uriLength} characters`,
        );
      }
    }
    if (data.forking !== undefined && !FORKING_MODES.includes(data.forking as string))
      check.fail(`'forking' must be one of ${FORKING_MODES.join(', ')}`);
    for (const flag of ['recordRoute', 'followRedirects']) {
      if (data[flag] !== undefined && typeof data[flag] !== 'boolean')
        check.fail(`'${flag}' must be a boolean`);
    }
    for (const timeout of ['provisionalTimeout', 'finalTimeout']) {
      if (data[timeout] !== undefined) check.integer(data, timeout, 1, LIMITS.proxyTimeout);
    }
    check.headers(data);
    return data as unknown as CommandMap['proxy'][0];
  },
};

function readRid(obj: Json, check: Checker): string {
  return check.nonEmptyString(obj, 'rid', LIMITS.ridLength);
}

/** An error reply to a request whose rid could not be read carries the empty rid. */
function readResponseRid(obj: Json, check: Checker): string {
  return check.string(obj, 'rid', LIMITS.ridLength);
}

function validateRequest(obj: Json): RequestEnvelope {
  const rid = readRid(obj, new Checker('request'));
  const command = obj.command;
  if (!isCommandName(command)) {
    const name = typeof command === 'string' ? `'${command.slice(0, 40)}'` : 'missing';
    throw new ProtocolError('unknown-command', `unknown command ${name}`, rid);
  }
  const check = new Checker(command, rid);
  const data = command === 'ping' && obj.data === undefined ? {} : check.object(obj.data, 'data');
  const validated = (
    validators[command] as (data: Json, check: Checker) => RequestEnvelope['data']
  )(data, check);
  return { type: 'request', rid, command, data: validated } as RequestEnvelope;
}

function validateResponse(obj: Json): ResponseEnvelope {
  const rid = readResponseRid(obj, new Checker('response'));
  const check = new Checker('response', rid);
  if (obj.ok === true) {
    const data = obj.data === undefined ? {} : check.object(obj.data, 'data');
    return { type: 'response', rid, ok: true, data } as ResponseEnvelope;
  }
  if (obj.ok !== false) check.fail(`'ok' must be true or false`);
  const error = check.object(obj.error, 'error');
  const code = error.code;
  if (typeof code !== 'string' || !(ERROR_CODES as readonly string[]).includes(code))
    check.fail(`'error.code' is not a known error code`);
  const message = check.string(error, 'message', 4096);
  const wireError: WireError = { code: code as ErrorCode, message };
  return { type: 'response', rid, ok: false, error: wireError };
}

function validateNotify(obj: Json): NotifyEnvelope {
  const command = obj.command;
  if (!isNotifyName(command)) {
    const name = typeof command === 'string' ? `'${command.slice(0, 40)}'` : 'missing';
    throw new ProtocolError('unknown-command', `unknown notification ${name}`);
  }
  const check = new Checker(`${command} notification`);
  const data = check.object(obj.data, 'data');
  if (command === 'dialog') {
    check.nonEmptyString(data, 'dialogId', LIMITS.idLength);
    if (!DIALOG_EVENTS.includes(data.event as DialogEvent))
      check.fail(`'event' must be one of ${DIALOG_EVENTS.join(', ')}`);
    // A reason this client does not know (a newer server's) still ends the dialog: any string.
    if (data.event === 'terminated') check.nonEmptyString(data, 'reason', LIMITS.reasonLength);
  } else check.nonEmptyString(data, 'transactionId', LIMITS.idLength);
  return { type: 'notify', command, data } as unknown as NotifyEnvelope;
}

/** Checks a parsed JSON value and returns it as a typed envelope; throws ProtocolError otherwise. */
export function validateEnvelope(value: unknown): Envelope {
  if (!isObject(value))
    throw new ProtocolError('invalid-argument', 'an envelope must be a JSON object');
  switch (value.type) {
    case 'request':
      return validateRequest(value);
    case 'response':
      return validateResponse(value);
    case 'notify':
      return validateNotify(value);
    default:
      throw new ProtocolError(
        'invalid-argument',
        `'type' must be 'request', 'response' or 'notify'`,
        typeof value.rid === 'string' && value.rid.length <= LIMITS.ridLength
          ? value.rid
          : undefined,
      );
  }
}
