/**
 * drachtio-msml: control IP media servers with MSML (RFC 5707) from a drachtio application.
 *
 *   const msml = require('drachtio-msml')(app);
 *   app.use('info', msml.router);
 *   const conn = await msml.makeConnection('127.0.0.1:5090', { remote: { sdp: req.body } });
 *   const dialog = await conn.makeDialog([moml.play({ audio: 'file://welcome.wav' })]);
 */
import * as moml from './builder/moml';
import * as commands from './builder/commands';

export { moml, commands };
export { document, MSML_VERSION } from './builder/commands';
export type { Duration, NameList } from './builder/values';
export { element, child, type MsmlNode, type AttributeInput } from './xml/node';
export { toXml } from './xml/serialize';
export { parseMsml, MAX_BODY_BYTES, MAX_DEPTH, MAX_ELEMENTS } from './parser/parse';
export {
  parseMessage,
  parseResult,
  parseEvent,
  readResult,
  readEvent,
  type MsmlResult,
  type MsmlEvent,
  type MsmlMessage,
} from './parser/read';
export { ResponseCode, type ResponseCodeValue } from './response-codes';
export {
  MsmlParseError,
  MsmlBuildError,
  MsmlResultError,
  MsmlTransportError,
  type MsmlParseErrorCode,
} from './errors';
