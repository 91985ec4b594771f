/**
 * What the simulator accepts: for each element, the attributes it knows, the ones it requires,
 * and the children it allows. A request that breaks these rules is answered with the matching
 * RFC 5707 code, never executed in part of a command.
 */
import { ResponseCode } from '../response-codes';
import type { MsmlNode } from '../xml/node';

interface ElementRule {
  attributes: readonly string[];
  required?: readonly string[];
  /** Allowed child element names; omitted = no children. */
  children?: readonly string[];
  /** At least one child of these names must be present. */
  needsOneOf?: readonly string[];
  /** Allowed values of enumerated attributes. */
  values?: Readonly<Record<string, readonly string[]>>;
}

const ACTIONS = ['send', 'exit', 'disconnect'] as const;
const PRIMITIVES = ['play', 'dtmf', 'collect', 'record', 'group'] as const;
const BOOLEAN = ['true', 'false'] as const;
const COLLECTOR: ElementRule = {
  attributes: ['id', 'fdt', 'idt', 'edt', 'cleardb', 'starttimer', 'iterations'],
  children: ['pattern', 'noinput', 'nomatch'],
  needsOneOf: ['pattern'],
  values: { cleardb: BOOLEAN, starttimer: BOOLEAN },
};
const STREAM_COMMAND: ElementRule = {
  attributes: ['id1', 'id2', 'mark'],
  required: ['id1', 'id2'],
  children: ['stream'],
};
const MIXING = ['audiomix', 'videolayout'] as const;

/** MSML commands (children of `<msml>` in a request). */
export const COMMANDS: Readonly<Record<string, ElementRule>> = {
  dialogstart: {
    attributes: ['target', 'name', 'type', 'src', 'mark'],
    required: ['target'],
    children: PRIMITIVES,
    needsOneOf: PRIMITIVES,
    values: { type: ['application/moml+xml'] },
  },
  dialogend: { attributes: ['id', 'mark'], required: ['id'] },
  send: { attributes: ['target', 'event', 'namelist', 'mark'], required: ['target', 'event'] },
  createconference: {
    attributes: ['name', 'deletewhen', 'term', 'mark'],
    children: [...MIXING, 'reserve'],
    values: { deletewhen: ['nomedia', 'nocontrol', 'never'], term: BOOLEAN },
  },
  modifyconference: { attributes: ['id', 'mark'], required: ['id'], children: MIXING },
  destroyconference: { attributes: ['id', 'mark'], required: ['id'] },
  join: STREAM_COMMAND,
  unjoin: STREAM_COMMAND,
  modifystream: STREAM_COMMAND,
  monitor: {
    attributes: ['id1', 'id2', 'compressed', 'mark'],
    required: ['id1', 'id2'],
    children: ['stream'],
  },
};

/** Everything that may appear below a command. */
const ELEMENTS: Readonly<Record<string, ElementRule>> = {
  play: {
    attributes: [
      'id',
      'iterations',
      'interval',
      'barge',
      'cleardb',
      'maxtime',
      'offset',
      'skip',
      'initial',
    ],
    children: ['audio', 'playexit'],
    needsOneOf: ['audio'],
    values: { barge: BOOLEAN, cleardb: BOOLEAN },
  },
  audio: {
    attributes: ['uri', 'format', 'iterations', 'audiosamplerate', 'audiosamplesize'],
    required: ['uri'],
  },
  dtmf: { ...COLLECTOR, children: [...(COLLECTOR.children ?? []), 'dtmfexit'] },
  collect: { ...COLLECTOR, children: [...(COLLECTOR.children ?? []), 'collectexit'] },
  pattern: {
    attributes: ['digits', 'format', 'iterations'],
    required: ['digits'],
    children: ACTIONS,
    values: { format: ['moml+digits'] },
  },
  noinput: { attributes: ['iterations'], children: ACTIONS },
  nomatch: { attributes: ['iterations'], children: ACTIONS },
  record: {
    attributes: [
      'id',
      'dest',
      'format',
      'maxtime',
      'beep',
      'prespeech',
      'postspeech',
      'termkey',
      'append',
    ],
    required: ['dest'],
    children: ['recordexit'],
    values: { beep: BOOLEAN, append: BOOLEAN },
  },
  group: {
    attributes: ['id', 'topology'],
    required: ['topology'],
    children: [...PRIMITIVES, 'groupexit'],
    values: { topology: ['parallel', 'serial', 'fsm'] },
  },
  playexit: { attributes: [], children: ACTIONS },
  dtmfexit: { attributes: [], children: ACTIONS },
  collectexit: { attributes: [], children: ACTIONS },
  recordexit: { attributes: [], children: ACTIONS },
  groupexit: { attributes: [], children: ACTIONS },
  send: { attributes: ['target', 'event', 'namelist'], required: ['target', 'event'] },
  exit: { attributes: ['namelist'] },
  disconnect: { attributes: ['namelist'] },
  audiomix: { attributes: ['id', 'samplerate'], children: ['n-loudest', 'asn'] },
  'n-loudest': { attributes: ['n'], required: ['n'] },
  asn: { attributes: ['ri'], required: ['ri'] },
  videolayout: { attributes: ['type'], children: ['root', 'region'] },
  root: { attributes: ['size', 'backgroundcolor'], required: ['size'] },
  region: { attributes: ['id', 'left', 'top', 'relativesize', 'priority'], required: ['id'] },
  reserve: { attributes: ['required'] },
  stream: {
    attributes: ['media', 'dir', 'compressed', 'display'],
    required: ['media'],
    children: ['gain'],
    values: { media: ['audio', 'video'], dir: ['from-id1', 'to-id1'], compressed: BOOLEAN },
  },
  gain: { attributes: ['amt', 'id'] },
};

export interface Violation {
  response: number;
  description: string;
}

/** Check a command and everything below it; undefined when it is acceptable. */
export function checkCommand(command: MsmlNode): Violation | undefined {
  const rule = COMMANDS[command.name];
  if (!rule)
    return {
      response: ResponseCode.UNKNOWN_ELEMENT,
      description: `unknown command <${command.name}>`,
    };
  return checkElement(command, rule);
}

function checkElement(node: MsmlNode, rule: ElementRule): Violation | undefined {
  for (const name of Object.keys(node.attributes)) {
    if (!rule.attributes.includes(name)) {
      return {
        response: ResponseCode.UNKNOWN_ATTRIBUTE,
        description: `unknown attribute ${name} on <${node.name}>`,
      };
    }
  }
  for (const name of rule.required ?? []) {
    if (node.attributes[name] === undefined) {
      return {
        response: ResponseCode.MISSING_ATTRIBUTE,
        description: `<${node.name}> needs the attribute ${name}`,
      };
    }
  }
  for (const [name, allowed] of Object.entries(rule.values ?? {})) {
    const value = node.attributes[name];
    if (value !== undefined && !allowed.includes(value)) {
      return {
        response: ResponseCode.INVALID_ATTRIBUTE_VALUE,
        description: `${name}="${value}" is not valid on <${node.name}>`,
      };
    }
  }
  for (const c of node.children) {
    const childRule = ELEMENTS[c.name];
    if (!childRule)
      return { response: ResponseCode.UNKNOWN_ELEMENT, description: `unknown element <${c.name}>` };
    if (!(rule.children ?? []).includes(c.name)) {
      return {
        response: ResponseCode.FORBIDDEN_ELEMENT_CONTENT,
        description: `<${c.name}> is not allowed in <${node.name}>`,
      };
    }
    const violation = checkElement(c, childRule);
    if (violation) return violation;
  }
  if (rule.needsOneOf && !node.children.some((c) => rule.needsOneOf?.includes(c.name))) {
    return {
      response: ResponseCode.MISSING_ELEMENT_CONTENT,
      description: `<${node.name}> needs one of ${rule.needsOneOf.map((n) => `<${n}>`).join(', ')}`,
    };
  }
  return undefined;
}
