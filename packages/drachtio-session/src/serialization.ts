/**
 * Sessions cross process boundaries as JSON. Plain data survives that on its own; instances
 * of application classes (drachtio-dialog's SipDialog, say) would come back as bare objects,
 * so classes can be registered: a registered instance is written as
 * `{"$class": name, "$value": state}` and revived as an instance of that class on the way back.
 */
import { SessionSerializationError } from './errors';

/** A class whose instances may be stored in a session. */
export interface SerializableClass<T extends object = object> {
  new (...args: never[]): T;
  /** Rebuild an instance from its stored state; without it the state is assigned to a bare instance. */
  fromJSON?(state: unknown): T;
}

const CLASS_KEY = '$class';
const VALUE_KEY = '$value';

const classesByName = new Map<string, SerializableClass>();
const namesByClass = new Map<SerializableClass, string>();

/**
 * Let instances of `ctor` be stored in sessions. `name` identifies the class in stored data, so
 * every process sharing a store must register the class under the same name (the class name
 * by default). Registering the same class twice under its name is harmless.
 */
export function registerClass(ctor: SerializableClass, name: string = ctor.name): void {
  if (typeof ctor !== 'function') throw new TypeError('registerClass: expected a class');
  if (!name) throw new TypeError('registerClass: the class needs a name');
  const existing = classesByName.get(name);
  if (existing && existing !== ctor) {
    throw new TypeError(`registerClass: another class is already registered as "${name}"`);
  }
  classesByName.set(name, ctor);
  namesByClass.set(ctor, name);
}

/** JSON text for `value`, with registered instances tagged by class. */
export function serialize(value: unknown): string {
  return JSON.stringify(encode(value, new Set()));
}

/** The value `serialize` wrote, with registered instances revived. */
export function deserialize(text: string): unknown {
  return JSON.parse(text, (_key, value: unknown) => revive(value));
}

function encode(value: unknown, ancestors: Set<object>): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (ancestors.has(value)) throw new SessionSerializationError('session data contains a cycle');
  ancestors.add(value);
  try {
    const name = namesByClass.get(value.constructor as SerializableClass);
    const state = stateOf(value);
    const encoded = encodeChildren(state, ancestors);
    return name === undefined ? encoded : { [CLASS_KEY]: name, [VALUE_KEY]: encoded };
  } finally {
    ancestors.delete(value);
  }
}

function stateOf(value: object): unknown {
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  return typeof toJSON === 'function' ? toJSON.call(value) : value;
}

function encodeChildren(state: unknown, ancestors: Set<object>): unknown {
  if (state === null || typeof state !== 'object') return state;
  if (Array.isArray(state)) return state.map((item) => encode(item, ancestors));
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(state)) {
    if (typeof child === 'function' || child === undefined) continue;
    out[key] = encode(child, ancestors);
  }
  return out;
}

function revive(value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const record = value as Record<string, unknown>;
  const name = record[CLASS_KEY];
  if (typeof name !== 'string' || !(VALUE_KEY in record)) return value;
  const ctor = classesByName.get(name);
  // A process that never registered the class still gets the data, as plain objects.
  if (!ctor) return record[VALUE_KEY];
  const state = record[VALUE_KEY];
  if (ctor.fromJSON) return ctor.fromJSON(state);
  return Object.assign(Object.create(ctor.prototype as object) as object, state);
}
