/**
 * The one shape every MSML document takes in this package: an element with attributes, ordered
 * children and optional text. The builder produces it, the serializer writes it, the parser
 * reads it back — so "round-trips" means exactly `parse(toXml(node))` deep-equals `node`.
 */
export interface MsmlNode {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: readonly MsmlNode[];
  readonly text?: string;
}

/** Attribute values as callers write them; `undefined` means "leave the attribute out". */
export type AttributeInput = string | number | boolean | readonly string[] | undefined;

export function element(
  name: string,
  attributes: Record<string, AttributeInput> = {},
  children: readonly (MsmlNode | undefined)[] = [],
  text?: string,
): MsmlNode {
  const written: Record<string, string> = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined) continue;
    written[key] = Array.isArray(value) ? value.join(' ') : String(value);
  }
  const node: MsmlNode = {
    name,
    attributes: written,
    children: children.filter((child): child is MsmlNode => child !== undefined),
  };
  // Empty text and no text are the same thing in XML (`<value/>`), so only non-empty text is kept.
  return text === undefined || text === '' ? node : { ...node, text };
}

/** The first child with this name, if any. */
export function child(node: MsmlNode, name: string): MsmlNode | undefined {
  return node.children.find((c) => c.name === name);
}
