/**
 * The config file checked against the shipped JSON Schema (ajv). Each problem becomes
 * "path: what is wrong", and an unknown key also lists the keys known at its level, so a
 * typo like admin.prot is caught and its fix is in the message.
 */
import Ajv, { type ErrorObject } from 'ajv';
import schema from './drachtio-server-ts.schema.json';

/** The schema editors can use: dist/config/drachtio-server-ts.schema.json in the package. */
export const CONFIG_SCHEMA = schema;

const validate = new Ajv({ allErrors: true, verbose: true, strict: true }).compile(schema);
/** One line per problem is plenty; a file full of them is reported by its first few. */
const MAX_REPORTED = 5;

/** Problems in `config`, each one line; empty when it is valid. */
export function configProblems(config: unknown): string[] {
  if (validate(config)) return [];
  return (validate.errors ?? []).slice(0, MAX_REPORTED).map(describe);
}

function describe(error: ErrorObject): string {
  const path = error.instancePath.split('/').slice(1).map(unescape);
  if (error.keyword === 'additionalProperties') {
    const key = String((error.params as { additionalProperty: string }).additionalProperty);
    const known = Object.keys(
      (error.parentSchema as { properties?: object } | undefined)?.properties ?? {},
    ).filter((name) => name !== '$schema');
    return `${[...path, key].join('.')}: unknown key; known keys: ${known.join(', ')}`;
  }
  const where = path.length > 0 ? path.join('.') : '(top level)';
  if (error.keyword === 'enum') {
    return `${where}: must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
  }
  return `${where}: ${error.message ?? 'is invalid'}`;
}

/** JSON Pointer escapes (RFC 6901). */
function unescape(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}
