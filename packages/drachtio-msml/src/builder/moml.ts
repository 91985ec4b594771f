/**
 * MOML (the dialog language inside `<dialogstart>`): the media primitives and the actions that
 * run when they finish. Each function returns an element; nest them as MOML nests them.
 */
import { element, type MsmlNode } from '../xml/node';
import { duration, type Duration, type NameList } from './values';

// -- actions: what a primitive does when it ends (inside playexit, dtmfexit, noinput, ...) ------

export interface SendOptions {
  /** `source` sends the event to the application; otherwise a primitive or group id. */
  target: string;
  event: string;
  namelist?: NameList;
}
export function send(options: SendOptions): MsmlNode {
  return element('send', {
    target: options.target,
    event: options.event,
    namelist: options.namelist,
  });
}

/** End the dialog; the values named are reported in the `msml.dialog.exit` event. */
export function exit(options: { namelist?: NameList } = {}): MsmlNode {
  return element('exit', { namelist: options.namelist });
}

/** End the dialog and ask the media server to hang up the connection. */
export function disconnect(options: { namelist?: NameList } = {}): MsmlNode {
  return element('disconnect', { namelist: options.namelist });
}

export type Action = MsmlNode;

// -- play --------------------------------------------------------------------------------------

export interface AudioOptions {
  uri: string;
  format?: string;
  iterations?: number | 'forever';
  audiosamplerate?: number;
  audiosamplesize?: number;
}
export function audio(options: AudioOptions | string): MsmlNode {
  const o = typeof options === 'string' ? { uri: options } : options;
  return element('audio', {
    uri: o.uri,
    format: o.format,
    iterations: o.iterations,
    audiosamplerate: o.audiosamplerate,
    audiosamplesize: o.audiosamplesize,
  });
}

export interface PlayOptions {
  /** One or more prompts, played in order. */
  audio: AudioOptions | string | readonly (AudioOptions | string)[];
  id?: string;
  iterations?: number | 'forever';
  interval?: Duration;
  /** Stop playing when the caller presses a key. */
  barge?: boolean;
  /** Clear the digit buffer before playing. */
  cleardb?: boolean;
  maxtime?: Duration;
  offset?: Duration;
  skip?: Duration;
  playexit?: readonly Action[];
}
export function play(options: PlayOptions): MsmlNode {
  const prompts = Array.isArray(options.audio)
    ? options.audio
    : [options.audio as AudioOptions | string];
  return element(
    'play',
    {
      id: options.id,
      iterations: options.iterations,
      interval: duration(options.interval),
      barge: options.barge,
      cleardb: options.cleardb,
      maxtime: duration(options.maxtime),
      offset: duration(options.offset),
      skip: duration(options.skip),
    },
    [...prompts.map(audio), exitBlock('playexit', options.playexit)],
  );
}

// -- dtmf / collect ----------------------------------------------------------------------------

export interface PatternOptions {
  /** e.g. `min=1;max=4;rtk=#` (format moml+digits) or a literal digit string. */
  digits: string;
  format?: string;
  iterations?: number;
  /** Run when the pattern matches. */
  actions?: readonly Action[];
}
export interface InputFailureOptions {
  /** How many times the failure may happen before these actions run. */
  iterations?: number;
  actions: readonly Action[];
}
export interface DtmfOptions {
  patterns: readonly PatternOptions[];
  id?: string;
  /** First digit timer: how long to wait for the first key. */
  fdt?: Duration;
  /** Inter digit timer. */
  idt?: Duration;
  /** Extra digit timer: how long to wait for a terminating key after a match. */
  edt?: Duration;
  cleardb?: boolean;
  starttimer?: boolean;
  iterations?: number;
  noinput?: InputFailureOptions;
  nomatch?: InputFailureOptions;
  /** Run when the collector ends, whatever the outcome (dtmfexit / collectexit). */
  exit?: readonly Action[];
}

/** `<dtmf>`: the MOML digit collector. Its shadow variables are dtmf.digits, dtmf.end, dtmf.len. */
export function dtmf(options: DtmfOptions): MsmlNode {
  return collector('dtmf', options);
}
/** `<collect>`: the same collector under its other MOML name (shadow variables collect.*). */
export function collect(options: DtmfOptions): MsmlNode {
  return collector('collect', options);
}

function collector(name: 'dtmf' | 'collect', options: DtmfOptions): MsmlNode {
  return element(
    name,
    {
      id: options.id,
      fdt: duration(options.fdt),
      idt: duration(options.idt),
      edt: duration(options.edt),
      cleardb: options.cleardb,
      starttimer: options.starttimer,
      iterations: options.iterations,
    },
    [
      ...options.patterns.map((p) =>
        element(
          'pattern',
          { digits: p.digits, format: p.format, iterations: p.iterations },
          p.actions ?? [],
        ),
      ),
      failure('noinput', options.noinput),
      failure('nomatch', options.nomatch),
      exitBlock(`${name}exit`, options.exit),
    ],
  );
}

function failure(
  name: 'noinput' | 'nomatch',
  options: InputFailureOptions | undefined,
): MsmlNode | undefined {
  return options && element(name, { iterations: options.iterations }, options.actions);
}

// -- record ------------------------------------------------------------------------------------

export interface RecordOptions {
  /** Where the media server writes the recording (a URI). */
  dest: string;
  format?: string;
  maxtime?: Duration;
  /** Play a beep before recording starts. */
  beep?: boolean;
  id?: string;
  prespeech?: Duration;
  postspeech?: Duration;
  termkey?: string;
  append?: boolean;
  recordexit?: readonly Action[];
}
export function record(options: RecordOptions): MsmlNode {
  return element(
    'record',
    {
      id: options.id,
      dest: options.dest,
      format: options.format,
      maxtime: duration(options.maxtime),
      beep: options.beep,
      prespeech: duration(options.prespeech),
      postspeech: duration(options.postspeech),
      termkey: options.termkey,
      append: options.append,
    },
    [exitBlock('recordexit', options.recordexit)],
  );
}

// -- group -------------------------------------------------------------------------------------

export type Topology = 'parallel' | 'serial' | 'fsm';
export interface GroupOptions {
  topology: Topology;
  id?: string;
  groupexit?: readonly Action[];
}
/** Primitives that run together (parallel) or one after another (serial). */
export function group(options: GroupOptions, primitives: readonly MsmlNode[]): MsmlNode {
  return element('group', { id: options.id, topology: options.topology }, [
    ...primitives,
    exitBlock('groupexit', options.groupexit),
  ]);
}

function exitBlock(name: string, actions: readonly Action[] | undefined): MsmlNode | undefined {
  return actions && actions.length > 0 ? element(name, {}, actions) : undefined;
}
