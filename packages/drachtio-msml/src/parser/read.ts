/**
 * Typed views of the two things a media server sends: the `<result>` answering a command and
 * the `<event>` it raises later; and, for a media server, the commands of a request.
 */
import { MsmlParseError } from '../errors';
import { child, type MsmlNode } from '../xml/node';
import { parseMsml } from './parse';

export interface MsmlResult {
  /** The RFC 5707 response code; 200 is success. */
  response: number;
  ok: boolean;
  /** Which command of a multi-command request failed (its `mark`). */
  mark?: string;
  description?: string;
  /** Set when a dialog was started: `conn:<id>/dialog:<name>`. */
  dialogId?: string;
  /** Set when a conference was created: `conf:<name>`. */
  confId?: string;
}

export interface MsmlEvent {
  /** e.g. `msml.dialog.exit`, `app.playDone`, `msml.conf.nomedia`. */
  name: string;
  /** The object that raised it: a dialog id, a conference id or a connection id. */
  id: string;
  /** The name/value pairs in the order they came (a name may repeat). */
  pairs: [string, string][];
  /** The same pairs by name (the last value wins). */
  data: Record<string, string>;
}

export type MsmlMessage =
  | { kind: 'result'; result: MsmlResult }
  | { kind: 'event'; event: MsmlEvent }
  | { kind: 'request'; version: string; commands: MsmlNode[] };

/** Classify an MSML body: a result, an event, or a request with commands. */
export function parseMessage(body: string | Buffer): MsmlMessage {
  const root = parseMsml(body);
  const first = root.children[0];
  if (first?.name === 'result') return { kind: 'result', result: readResult(first) };
  if (first?.name === 'event') return { kind: 'event', event: readEvent(first) };
  return { kind: 'request', version: root.attributes.version ?? '', commands: [...root.children] };
}

export function parseResult(body: string | Buffer): MsmlResult {
  const message = parseMessage(body);
  if (message.kind !== 'result')
    throw new MsmlParseError('unexpected', 'MSML body has no <result>');
  return message.result;
}

export function parseEvent(body: string | Buffer): MsmlEvent {
  const message = parseMessage(body);
  if (message.kind !== 'event') throw new MsmlParseError('unexpected', 'MSML body has no <event>');
  return message.event;
}

export function readResult(node: MsmlNode): MsmlResult {
  const response = Number(node.attributes.response);
  if (!/^\d{3}$/.test(node.attributes.response ?? '')) {
    throw new MsmlParseError(
      'unexpected',
      `<result> has no valid response code: ${JSON.stringify(node.attributes.response ?? null)}`,
    );
  }
  const result: MsmlResult = { response, ok: response === 200 };
  if (node.attributes.mark !== undefined) result.mark = node.attributes.mark;
  const description = child(node, 'description')?.text;
  if (description !== undefined) result.description = description.trim();
  const dialogId = child(node, 'dialogid')?.text;
  if (dialogId !== undefined) result.dialogId = dialogId.trim();
  const confId = child(node, 'confid')?.text;
  if (confId !== undefined) result.confId = confId.trim();
  return result;
}

export function readEvent(node: MsmlNode): MsmlEvent {
  const { name, id } = node.attributes;
  if (!name || !id) throw new MsmlParseError('unexpected', '<event> needs both a name and an id');
  const pairs: [string, string][] = [];
  let pending: string | undefined;
  for (const c of node.children) {
    if (c.name === 'name') {
      if (pending !== undefined) pairs.push([pending, '']);
      pending = (c.text ?? '').trim();
    } else if (c.name === 'value' && pending !== undefined) {
      pairs.push([pending, c.text ?? '']);
      pending = undefined;
    }
  }
  if (pending !== undefined) pairs.push([pending, '']);
  return { name, id, pairs, data: Object.fromEntries(pairs) };
}
