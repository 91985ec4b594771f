/**
 * drachtio-sip: the SIP grammar (RFC 3261 section 25 and extensions). Pure functions and data
 * types; no I/O.
 */
export { SipParseError } from './errors';
export { SIP_METHODS, IN_DIALOG_METHODS, isSipMethod } from './methods';
export type { SipMethod } from './methods';

export { parseMessage, MAX_HEADER_FIELDS } from './message/parse';
export { SipMessage, SipRequest, SipResponse } from './message/message';
export type { AnyHeaderValue, GetResult, HeaderInit, MessageInit } from './message/message';
export type { HeaderField } from './message/header-field';

export { parseUri, serializeUri } from './uri/uri';
export type { Uri } from './uri/uri';
export type { Params } from './grammar/params';
export { splitList } from './grammar/list';

export { headerKey, canonicalHeaderName, COMPACT_FORMS } from './headers/names';
export { parseNameAddr, parseContact, serializeNameAddr } from './headers/name-addr';
export type { NameAddr, Contact } from './headers/name-addr';
export { parseVia, serializeVia } from './headers/via';
export type { Via } from './headers/via';
export { parseCSeq, serializeCSeq } from './headers/cseq';
export type { CSeq } from './headers/cseq';
export { parseRAck, serializeRAck } from './headers/rack';
export type { RAck } from './headers/rack';
export { parseContentType, serializeContentType, multipartBoundary } from './headers/content-type';
export type { ContentType } from './headers/content-type';
export {
  parseSessionExpires,
  serializeSessionExpires,
  parseMinSE,
  serializeMinSE,
} from './headers/session-timer';
export type { SessionExpires, MinSE } from './headers/session-timer';
export { parseAuthHeader, serializeChallenge, serializeCredentials } from './headers/auth';
export type { AuthHeader, Challenge, Credentials } from './headers/auth';
export { parseTokenList, serializeTokenList } from './headers/option-tags';
export { parseTypedHeader, serializeHeaderValue, isTypedHeader } from './headers/registry';
export type { TypedHeaders, HeaderKeyOf, HeaderValueOf, HeaderInput } from './headers/registry';

export { StreamFramer } from './stream/stream-framer';
export type { StreamFramerOptions } from './stream/stream-framer';

export {
  computeDigest,
  computeHA1,
  verifyDigest,
  answerChallenge,
  pickChallenge,
  createChallenge,
  isSupportedAlgorithm,
} from './digest/digest';
export type {
  DigestInput,
  DigestQop,
  VerifyOptions,
  AnswerOptions,
  ChallengeOptions,
} from './digest/digest';
