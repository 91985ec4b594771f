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

/** Base of parsed values with parameters: `params` is materialized on first read. */
export abstract class WithParams {
  private paramMap: Params | undefined;

  protected constructor(protected paramList: ParamList) {}

  get params(): Params {
    if (this.paramMap === undefined) {
      this.paramMap = paramsFromList(this.paramList);
      this.paramList = [];
    }
    return this.paramMap;
  }

  set params(params: Params) {
    this.paramMap = params;
    this.paramList = [];
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
