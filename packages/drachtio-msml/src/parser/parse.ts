/**
 * Reads an MSML body into an MsmlNode tree. xml2js does the XML; this module bounds what it
 * accepts (size, depth, element count — bodies come from the network) and checks that the
 * document is MSML at all. Every refusal is an MsmlParseError.
 */
import { Parser } from 'xml2js';
import { MsmlParseError } from '../errors';
import type { MsmlNode } from '../xml/node';

export const MAX_BODY_BYTES = 64 * 1024;
export const MAX_DEPTH = 32;
export const MAX_ELEMENTS = 2000;
export const SUPPORTED_VERSIONS: readonly string[] = ['1.0', '1.1'];

/** xml2js's output with explicitChildren + preserveChildrenOrder. */
interface RawElement {
  '#name': string;
  $?: Record<string, string>;
  _?: string;
  $$?: RawElement[];
}

/** Parse any MSML document; the root returned is the `<msml>` element. */
export function parseMsml(body: string | Buffer): MsmlNode {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  if (Buffer.byteLength(text, 'utf8') > MAX_BODY_BYTES) {
    throw new MsmlParseError('too-large', `MSML body larger than ${MAX_BODY_BYTES} bytes`);
  }
  // A DTD could declare entities; MSML never needs one, so none is accepted.
  if (/<!DOCTYPE/i.test(text))
    throw new MsmlParseError('not-msml', 'a DOCTYPE is not allowed in MSML');

  const root = convert(readXml(text), 0, { count: 0 });
  if (root.name !== 'msml')
    throw new MsmlParseError('not-msml', `root element is <${root.name}>, not <msml>`);
  const version = root.attributes.version;
  if (version === undefined || !SUPPORTED_VERSIONS.includes(version)) {
    throw new MsmlParseError(
      'bad-version',
      `unsupported MSML version ${JSON.stringify(version ?? null)}`,
    );
  }
  return root;
}

function readXml(text: string): RawElement {
  const parser = new Parser({
    explicitRoot: false,
    explicitChildren: true,
    preserveChildrenOrder: true,
    charsAsChildren: false,
    charkey: '_',
    async: false,
  });
  let outcome: { error: Error | null; root?: RawElement } | undefined;
  // xml2js calls back synchronously when async is false; it may call twice on some errors.
  parser.parseString(text, (error: Error | null, root?: RawElement) => {
    outcome ??= { error, root };
  });
  if (!outcome || outcome.error || !outcome.root || typeof outcome.root !== 'object') {
    const reason = outcome?.error?.message.split('\n')[0] ?? 'empty document';
    throw new MsmlParseError('not-xml', `not well-formed XML: ${reason}`);
  }
  return outcome.root;
}

function convert(raw: RawElement, depth: number, budget: { count: number }): MsmlNode {
  if (depth > MAX_DEPTH)
    throw new MsmlParseError('too-complex', `MSML nested deeper than ${MAX_DEPTH} elements`);
  if (++budget.count > MAX_ELEMENTS)
    throw new MsmlParseError('too-complex', `MSML with more than ${MAX_ELEMENTS} elements`);
  const children = (raw.$$ ?? []).map((c) => convert(c, depth + 1, budget));
  const node: MsmlNode = { name: raw['#name'], attributes: { ...(raw.$ ?? {}) }, children };
  return raw._ === undefined || raw._ === '' ? node : { ...node, text: raw._ };
}
