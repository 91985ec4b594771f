import { Scanner } from './scanner';

/** A parameter map; null means the parameter is present without a value (";lr"). */
export type Params = Record<string, string | null>;

/**
 * Parameters as the scanners collect them: name, value, name, value... Storing freshly sliced
 * strings as object keys costs V8 a string-table lookup per key, so the object form is only
 * built when someone reads `params`; the common fields (tag, branch, ...) are found here.
 */
export type ParamList = Array<string | null>;

/**
 * Parameter maps inherit nothing (a parameter named "__proto__" or "constructor" is only
 * data). Built by a constructor whose prototype is a null-prototype object rather than by
 * Object.create(null), because V8 keeps such objects in fast mode instead of dictionary mode.
 */
function ParamMap(this: Params): void {}
ParamMap.prototype = Object.create(null);

export function emptyParams(): Params {
  return new (ParamMap as unknown as new () => Params)();
}

/** The same kind of prototype-less map, for string values (URI headers, auth parameters). */
export function emptyStringMap(): Record<string, string> {
  return new (ParamMap as unknown as new () => Record<string, string>)();
}

export function paramsFromList(list: ParamList): Params {
  const params = emptyParams();
  for (let i = 0; i < list.length; i += 2) params[list[i] as string] = list[i + 1];
  return params;
}

/** The value of a parameter (null when valueless), undefined when absent. */
export function findParam(list: ParamList, name: string): string | null | undefined {
  for (let i = 0; i < list.length; i += 2) if (list[i] === name) return list[i + 1];
  return undefined;
}

/**
 * Base of parsed values with generic parameters. The parser checks the parameter section when it
 * reads the header (so a malformed one is an error there) but only notes where it is: the list is
 * read when a parameter is first asked for, and the `params` object built when that is first read.
 */
export abstract class WithParams {
  private list: ParamList | undefined;
  private map: Params | undefined;

  /** Either the parameters already read, or where to read them when first needed. */
  protected constructor(
    list: ParamList | undefined,
    private readonly source = '',
    private readonly sourceStart = 0,
    private readonly sourcePart = '',
  ) {
    this.list = list;
  }

  get params(): Params {
    return (this.map ??= paramsFromList(this.paramList()));
  }

  set params(params: Params) {
    this.map = params;
  }

  /**
   * A plain copy of the public fields (typed values keep some fields behind accessors, which
   * JSON.stringify and object spread would otherwise miss).
   */
  toJSON(): Record<string, unknown> {
    const plain: Record<string, unknown> = {};
    for (const field of this.publicFields()) {
      const value = (this as unknown as Record<string, unknown>)[field];
      if (value !== undefined) plain[field] = value;
    }
    plain.params = { ...this.params };
    return plain;
  }

  /** The names of the fields toJSON copies (params aside). */
  protected abstract publicFields(): readonly string[];

  /** A parameter's value (null when it has none), undefined when absent; edits made through `params` count. */
  protected param(name: string): string | null | undefined {
    if (this.map !== undefined) return name in this.map ? this.map[name] : undefined;
    return findParam(this.paramList(), name);
  }

  private paramList(): ParamList {
    if (this.list === undefined) {
      const scanner = new Scanner(this.source, this.sourcePart);
      scanner.i = this.sourceStart;
      this.list = scanner.genericParams([]);
    }
    return this.list;
  }
}

/** Serializes generic params; values were kept verbatim, so they go out as they came in. */
export function serializeParams(params: Params): string {
  let out = '';
  for (const name in params) {
    const value = params[name];
    out += value === null || value === undefined ? `;${name}` : `;${name}=${value}`;
  }
  return out;
}
