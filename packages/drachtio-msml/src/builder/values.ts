/**
 * MSML value formats. Times are "time designations" (RFC 5707): a number with `s` or `ms`;
 * a plain number given here is taken as milliseconds.
 */
export type Duration = number | string;

export function duration(value: Duration | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') {
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`invalid duration: ${value}`);
    return `${Math.round(value)}ms`;
  }
  return value;
}

/** namelist attributes are space separated; callers may pass a list. */
export type NameList = string | readonly string[];
