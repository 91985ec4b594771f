/**
 * MSML commands: what an application asks of a media server (dialogs, conferences, joins) and
 * the two things a media server answers with (a result, an event).
 */
import { element, type MsmlNode } from '../xml/node';
import { duration, type Duration, type NameList } from './values';

export const MSML_VERSION = '1.1';

/** The `<msml version="1.1">` document around one or more commands. */
export function document(...nodes: readonly MsmlNode[]): MsmlNode {
  return element('msml', { version: MSML_VERSION }, nodes);
}

// -- dialogs -----------------------------------------------------------------------------------

export interface DialogStartOptions {
  /** The connection or conference the dialog runs on: `conn:<id>` or `conf:<name>`. */
  target: string;
  /** Becomes the last part of the dialog id `<target>/dialog:<name>`. */
  name?: string;
  type?: string;
  /** Fetch the dialog from a URI instead of the inline MOML. */
  src?: string;
  mark?: string;
}
export function dialogstart(options: DialogStartOptions, moml: readonly MsmlNode[] = []): MsmlNode {
  return element(
    'dialogstart',
    {
      target: options.target,
      name: options.name,
      type: options.type ?? 'application/moml+xml',
      src: options.src,
      mark: options.mark,
    },
    moml,
  );
}

/** Stop a running dialog; `id` is the dialog id the start returned. */
export function dialogend(options: { id: string; mark?: string }): MsmlNode {
  return element('dialogend', { id: options.id, mark: options.mark });
}

/** Send an event to a running dialog (e.g. `terminate`, or an application event). */
export function send(options: {
  target: string;
  event: string;
  namelist?: NameList;
  mark?: string;
}): MsmlNode {
  return element('send', {
    target: options.target,
    event: options.event,
    namelist: options.namelist,
    mark: options.mark,
  });
}

// -- conferences -------------------------------------------------------------------------------

export interface AudioMixOptions {
  id?: string;
  samplerate?: number;
  /** Mix only the n loudest speakers. */
  nloudest?: number;
  /** Report the active speakers every `ri` (an `msml.conf.asn` event). */
  asn?: { ri: Duration };
}
export interface RegionOptions {
  id: string;
  left?: number | string;
  top?: number | string;
  relativesize?: string;
  priority?: number;
}
export interface VideoLayoutOptions {
  type?: string;
  root?: { size: string; backgroundcolor?: string };
  regions?: readonly RegionOptions[];
}
export interface ConferenceOptions {
  /** Becomes the conference id `conf:<name>`. */
  name?: string;
  /** When the media server deletes the conference by itself. */
  deletewhen?: 'nomedia' | 'nocontrol' | 'never';
  term?: boolean;
  mark?: string;
  audiomix?: AudioMixOptions;
  videolayout?: VideoLayoutOptions;
}

export function createconference(options: ConferenceOptions = {}): MsmlNode {
  return element(
    'createconference',
    { name: options.name, deletewhen: options.deletewhen, term: options.term, mark: options.mark },
    mixing(options),
  );
}

export function modifyconference(
  options: { id: string; mark?: string } & Pick<ConferenceOptions, 'audiomix' | 'videolayout'>,
): MsmlNode {
  return element('modifyconference', { id: options.id, mark: options.mark }, mixing(options));
}

export function destroyconference(options: { id: string; mark?: string }): MsmlNode {
  return element('destroyconference', { id: options.id, mark: options.mark });
}

function mixing(
  options: Pick<ConferenceOptions, 'audiomix' | 'videolayout'>,
): (MsmlNode | undefined)[] {
  return [
    options.audiomix && audiomix(options.audiomix),
    options.videolayout && videolayout(options.videolayout),
  ];
}

function audiomix(options: AudioMixOptions): MsmlNode {
  return element('audiomix', { id: options.id, samplerate: options.samplerate }, [
    options.nloudest === undefined ? undefined : element('n-loudest', { n: options.nloudest }),
    options.asn && element('asn', { ri: duration(options.asn.ri) }),
  ]);
}

function videolayout(options: VideoLayoutOptions): MsmlNode {
  return element('videolayout', { type: options.type ?? 'text/msml-basic-layout' }, [
    options.root &&
      element('root', { size: options.root.size, backgroundcolor: options.root.backgroundcolor }),
    ...(options.regions ?? []).map((r) =>
      element('region', {
        id: r.id,
        left: r.left,
        top: r.top,
        relativesize: r.relativesize,
        priority: r.priority,
      }),
    ),
  ]);
}

// -- media streams between connections and conferences -----------------------------------------

export interface StreamOptions {
  media: 'audio' | 'video';
  /** Only the stream in this direction: `from-id1` or `to-id1`. */
  dir?: 'from-id1' | 'to-id1';
  compressed?: boolean;
  display?: string;
  /** Gain applied to the stream, in dB. */
  gain?: number;
}
export interface StreamCommandOptions {
  id1: string;
  id2: string;
  mark?: string;
  streams?: readonly StreamOptions[];
}

export function join(options: StreamCommandOptions): MsmlNode {
  return streamCommand('join', options);
}
export function unjoin(options: StreamCommandOptions): MsmlNode {
  return streamCommand('unjoin', options);
}
export function modifystream(options: StreamCommandOptions): MsmlNode {
  return streamCommand('modifystream', options);
}
/** id1 hears id2 without being heard (a supervisor listening in). */
export function monitor(options: StreamCommandOptions & { compressed?: boolean }): MsmlNode {
  return element(
    'monitor',
    { id1: options.id1, id2: options.id2, compressed: options.compressed, mark: options.mark },
    streams(options),
  );
}

function streamCommand(name: string, options: StreamCommandOptions): MsmlNode {
  return element(
    name,
    { id1: options.id1, id2: options.id2, mark: options.mark },
    streams(options),
  );
}

function streams(options: StreamCommandOptions): MsmlNode[] {
  return (options.streams ?? []).map((s) =>
    element(
      'stream',
      { media: s.media, dir: s.dir, compressed: s.compressed, display: s.display },
      [s.gain === undefined ? undefined : element('gain', { amt: s.gain })],
    ),
  );
}

// -- what the media server sends back ----------------------------------------------------------

export interface ResultOptions {
  response: number;
  mark?: string;
  description?: string;
  dialogid?: string;
  confid?: string;
}
export function result(options: ResultOptions): MsmlNode {
  return element('result', { response: options.response, mark: options.mark }, [
    options.description === undefined
      ? undefined
      : element('description', {}, [], options.description),
    options.dialogid === undefined ? undefined : element('dialogid', {}, [], options.dialogid),
    options.confid === undefined ? undefined : element('confid', {}, [], options.confid),
  ]);
}

export function event(options: {
  name: string;
  id: string;
  values?: readonly (readonly [string, string])[];
}): MsmlNode {
  return element(
    'event',
    { name: options.name, id: options.id },
    (options.values ?? []).flatMap(([name, value]) => [
      element('name', {}, [], name),
      element('value', {}, [], value),
    ]),
  );
}
