/**
 * MOML digit patterns (format moml+digits): either a literal digit string, or a rule list such
 * as `min=1;max=4;rtk=#` (rtk: a key that ends input and is not part of the digits).
 */
export interface DigitMatch {
  matched: boolean;
  /** The digits as reported (without the return key). */
  digits: string;
}

export function matchDigits(pattern: string, keyed: string): DigitMatch {
  if (!pattern.includes('=')) return { matched: keyed === pattern, digits: keyed };
  const rules = new Map<string, string>();
  for (const part of pattern.split(';')) {
    const [key, value] = part.split('=');
    if (key && value !== undefined) rules.set(key.trim(), value.trim());
  }
  const rtk = rules.get('rtk');
  const digits = rtk && keyed.endsWith(rtk) ? keyed.slice(0, -rtk.length) : keyed;
  const min = Number(rules.get('min') ?? 1);
  const max = Number(rules.get('max') ?? Number.POSITIVE_INFINITY);
  return {
    matched: digits.length >= min && digits.length <= max && /^[0-9*#A-D]*$/.test(digits),
    digits,
  };
}
