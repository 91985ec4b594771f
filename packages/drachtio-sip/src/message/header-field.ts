import { headerSpec } from '../headers/registry';

/** One header line of a message, unfolded: the name as written and the raw value, trimmed. */
export interface HeaderField {
  readonly name: string;
  /** The full name in lower case ("v" and "Via" both have key "via"). */
  readonly key: string;
  readonly value: string;
}

export function headerField(name: string, value: string): HeaderField {
  return { name, key: headerSpec(name).key, value };
}
