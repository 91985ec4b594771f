import { SipParseError } from '../errors';
import { isDigit, isTokenChar } from '../grammar/chars';

export interface RequestLine {
  method: string;
  uri: string;
  version: string;
}

export interface StatusLine {
  version: string;
  status: number;
  reason: string;
}

const PART = 'start-line';

function fail(reason: string): never {
  throw new SipParseError(PART, reason);
}

/** True when the line starts like a Status-Line ("SIP/", any case). */
export function isStatusLine(line: string): boolean {
  return startsWithSip(line, 0);
}

function startsWithSip(line: string, i: number): boolean {
  return (
    line.length > i + 4 &&
    (line.charCodeAt(i) | 32) === 115 &&
    (line.charCodeAt(i + 1) | 32) === 105 &&
    (line.charCodeAt(i + 2) | 32) === 112 &&
    line.charCodeAt(i + 3) === 47
  );
}

/** SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT; returns the index after it. */
function readVersion(line: string, i: number): number {
  if (!startsWithSip(line, i)) fail('bad SIP version');
  i += 4;
  const major = i;
  while (isDigit(line.charCodeAt(i))) i++;
  if (i === major || line.charCodeAt(i) !== 46 /* . */) fail('bad SIP version');
  const minor = ++i;
  while (isDigit(line.charCodeAt(i))) i++;
  if (i === minor || i - major > 9) fail('bad SIP version');
  return i;
}

/** A Request-URI runs to the next space and holds no control characters. */
const URI_CHARS = /[!-~\u0080-\uffff]+/y;

/** Request-Line = Method SP Request-URI SP SIP-Version */
export function parseRequestLine(line: string): RequestLine {
  let i = 0;
  while (i < line.length && isTokenChar(line.charCodeAt(i))) i++;
  if (i === 0) fail('missing method');
  if (line.charCodeAt(i) !== 32) fail('expected a space after the method');
  const method = line.slice(0, i);
  const uriStart = ++i;
  URI_CHARS.lastIndex = uriStart;
  i = URI_CHARS.test(line) ? URI_CHARS.lastIndex : uriStart;
  if (i === uriStart) fail('missing Request-URI');
  if (line.charCodeAt(i) !== 32) fail('expected a space after the Request-URI');
  const uri = line.slice(uriStart, i);
  const versionStart = ++i;
  if (readVersion(line, versionStart) !== line.length)
    fail('unexpected text after the SIP version');
  const version =
    line.length - versionStart === 7 && line.endsWith('SIP/2.0')
      ? 'SIP/2.0'
      : line.slice(versionStart).toUpperCase();
  return { method, uri, version };
}

/** Status-Line = SIP-Version SP Status-Code SP Reason-Phrase */
export function parseStatusLine(line: string): StatusLine {
  const versionEnd = readVersion(line, 0);
  if (line.charCodeAt(versionEnd) !== 32) fail('expected a space after the SIP version');
  const codeStart = versionEnd + 1;
  for (let i = codeStart; i < codeStart + 3; i++)
    if (!isDigit(line.charCodeAt(i))) fail('status code must be 3 digits');
  const status = Number(line.slice(codeStart, codeStart + 3));
  if (status < 100 || status > 699) fail(`status code ${status} out of range`);
  const after = line.charCodeAt(codeStart + 3);
  if (codeStart + 3 < line.length && after !== 32) fail('status code must be 3 digits');
  const version =
    versionEnd === 7 && line.startsWith('SIP/2.0')
      ? 'SIP/2.0'
      : line.slice(0, versionEnd).toUpperCase();
  return { version, status, reason: line.slice(codeStart + 4) };
}
