/**
 * drachtio-msml: control IP media servers with MSML (RFC 5707) from a drachtio application.
 *
 *   const msml = require('drachtio-msml')(app);
 *   app.use('info', msml.router);
 *   app.invite((req, res) => {
 *     msml.makeConnection('127.0.0.1:5090', { remote: { sdp: req.body } }).pipe(res, async (err, conn) => {
 *       const dialog = await conn.makeDialog([moml.play({ audio: 'file://welcome.wav' })]);
 *     });
 *   });
 *
 * The builder (`moml`, `commands`, `toXml`) and parser (`parseMessage`, ...) work without an app.
 */
import type { Application, Middleware } from 'drachtio';
import * as builderCommands from './builder/commands';
import * as builderMoml from './builder/moml';
import type * as values from './builder/values';
import * as callback from './control/callback';
import * as conference from './control/conference';
import * as connection from './control/connection';
import * as connectionRequest from './control/connection-request';
import * as controlChannel from './control/control-channel';
import type * as events from './control/events';
import * as mediaDialog from './control/media-dialog';
import * as mediaServerChannel from './control/media-server-channel';
import * as msmlApp from './control/msml-app';
import * as errors from './errors';
import * as parse from './parser/parse';
import * as read from './parser/read';
import * as responseCodes from './response-codes';
import * as node from './xml/node';
import * as serialize from './xml/serialize';
import './control/app-events';

/** The media-server side of an application (one per app). */
function msml(app: Application): msmlApp.Msml {
  return msmlApp.Msml.for(app);
}

/** `app.use('info', msml.router)` without holding the instance: found through `req.app`. */
const infoRouter: Middleware = (req, res, next) => msml(req.app).router(req, res, next);

// The factory also carries its members as a namespace, so TypeScript that imports only the default
// can name them (`msml.Conference`, `msml.moml`) as the seed's JavaScript does.
// eslint-disable-next-line @typescript-eslint/no-namespace -- merges the members into the default export
namespace msml {
  export const router: Middleware = infoRouter;
  export import moml = builderMoml;
  export import commands = builderCommands;
  export import document = builderCommands.document;
  export import MSML_VERSION = builderCommands.MSML_VERSION;
  export import element = node.element;
  export import child = node.child;
  export import toXml = serialize.toXml;
  export import parseMsml = parse.parseMsml;
  export import MAX_BODY_BYTES = parse.MAX_BODY_BYTES;
  export import MAX_DEPTH = parse.MAX_DEPTH;
  export import MAX_ELEMENTS = parse.MAX_ELEMENTS;
  export import parseMessage = read.parseMessage;
  export import parseResult = read.parseResult;
  export import parseEvent = read.parseEvent;
  export import readResult = read.readResult;
  export import readEvent = read.readEvent;
  export import ResponseCode = responseCodes.ResponseCode;
  export import MsmlParseError = errors.MsmlParseError;
  export import MsmlBuildError = errors.MsmlBuildError;
  export import MsmlResultError = errors.MsmlResultError;
  export import MsmlTransportError = errors.MsmlTransportError;
  export import Msml = msmlApp.Msml;
  export import Connection = connection.Connection;
  export import ConnectionRequest = connectionRequest.ConnectionRequest;
  export import ControlChannel = controlChannel.ControlChannel;
  export import Conference = conference.Conference;
  export import MediaDialog = mediaDialog.MediaDialog;
  export import MediaServerChannel = mediaServerChannel.MediaServerChannel;
  export import MSML_CONTENT_TYPE = mediaServerChannel.MSML_CONTENT_TYPE;

  export type MsmlNode = node.MsmlNode;
  export type AttributeInput = node.AttributeInput;
  export type Duration = values.Duration;
  export type NameList = values.NameList;
  export type MsmlResult = read.MsmlResult;
  export type MsmlEvent = read.MsmlEvent;
  export type MsmlMessage = read.MsmlMessage;
  export type MsmlParseErrorCode = errors.MsmlParseErrorCode;
  export type ResponseCodeValue = responseCodes.ResponseCodeValue;
  export type ConnectionOptions = connection.ConnectionOptions;
  export type ControlChannelOptions = msmlApp.ControlChannelOptions;
  export type MakeDialogOptions = mediaServerChannel.MakeDialogOptions;
  export type MsmlEventInfo<T> = events.MsmlEventInfo<T>;
  export type UnroutedMsmlEvent = events.UnroutedMsmlEvent;
  export type TraceEvent = msmlApp.TraceEvent;
  export type Callback<T> = callback.Callback<T>;
}

export default msml;
export { msml, infoRouter as router };
export * as moml from './builder/moml';
export * as commands from './builder/commands';
export { document, MSML_VERSION } from './builder/commands';
export type { Duration, NameList } from './builder/values';
export { element, child } from './xml/node';
export type { MsmlNode, AttributeInput } from './xml/node';
export { toXml } from './xml/serialize';
export { parseMsml, MAX_BODY_BYTES, MAX_DEPTH, MAX_ELEMENTS } from './parser/parse';
export { parseMessage, parseResult, parseEvent, readResult, readEvent } from './parser/read';
export type { MsmlResult, MsmlEvent, MsmlMessage } from './parser/read';
export { ResponseCode } from './response-codes';
export type { ResponseCodeValue } from './response-codes';
export { MsmlParseError, MsmlBuildError, MsmlResultError, MsmlTransportError } from './errors';
export type { MsmlParseErrorCode } from './errors';
export { Msml } from './control/msml-app';
export type { ControlChannelOptions, TraceEvent } from './control/msml-app';
export { Connection } from './control/connection';
export type { ConnectionOptions } from './control/connection';
export { ConnectionRequest } from './control/connection-request';
export { ControlChannel } from './control/control-channel';
export { Conference } from './control/conference';
export { MediaDialog } from './control/media-dialog';
export { MediaServerChannel, MSML_CONTENT_TYPE } from './control/media-server-channel';
export type { MakeDialogOptions } from './control/media-server-channel';
export type { MsmlEventInfo, UnroutedMsmlEvent } from './control/events';
export type { Callback } from './control/callback';
