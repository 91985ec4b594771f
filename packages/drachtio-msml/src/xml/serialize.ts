/**
 * Writes an MsmlNode as XML. xmlbuilder (the writer inside xml2js's Builder) is used directly
 * because MSML depends on the order of mixed children — an event's name/value pairs, a dialog's
 * primitives — which xml2js's object form cannot express. It escapes text and attributes and
 * refuses characters XML cannot carry; that refusal becomes an MsmlBuildError.
 */
import { create, type XMLElementOrXMLNode as XMLElement } from 'xmlbuilder';
import { MsmlBuildError } from '../errors';
import type { MsmlNode } from './node';

export function toXml(root: MsmlNode): string {
  try {
    const doc = create(root.name, { version: '1.0', encoding: 'UTF-8' });
    fill(doc, root);
    return doc.end({ pretty: true, indent: '  ', newline: '\n' });
  } catch (error) {
    throw new MsmlBuildError(`cannot write <${root.name}>: ${(error as Error).message}`);
  }
}

function fill(target: XMLElement, node: MsmlNode): void {
  for (const [name, value] of Object.entries(node.attributes)) target.att(name, value);
  if (node.text !== undefined) target.txt(node.text);
  for (const child of node.children) fill(target.ele(child.name), child);
}
