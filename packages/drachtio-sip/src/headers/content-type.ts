import { ParamList, Params, WithParams, serializeParams } from '../grammar/params';
import { Scanner } from '../grammar/scanner';

export interface ContentType {
  /** "application" (lower-cased) */
  type: string;
  /** "sdp" (lower-cased) */
  subtype: string;
  /** "application/sdp": what code compares against. */
  mediaType: string;
  /** "charset", "boundary", ...; values verbatim (a boundary keeps its quotes). */
  params: Params;
}

class ParsedContentType extends WithParams implements ContentType {
  constructor(
    public type: string,
    public subtype: string,
    public mediaType: string,
    paramList: ParamList,
  ) {
    super(paramList);
  }
}

export function parseContentType(value: string): ContentType {
  const scanner = new Scanner(value, 'content-type');
  const type = scanner.token('the media type').toLowerCase();
  scanner.expect(47 /* / */, '"/"');
  const subtype = scanner.token('the media subtype').toLowerCase();
  const paramList = scanner.genericParams([], -1);
  return new ParsedContentType(type, subtype, mediaTypeOf(type, subtype), paramList);
}

/** The common media types come back as the same constant string instead of a new concatenation. */
function mediaTypeOf(type: string, subtype: string): string {
  if (type === 'application' && subtype === 'sdp') return 'application/sdp';
  return `${type}/${subtype}`;
}

export function serializeContentType(contentType: ContentType): string {
  return `${contentType.type}/${contentType.subtype}${serializeParams(contentType.params)}`;
}

/** The boundary parameter of a multipart Content-Type, without quotes. */
export function multipartBoundary(contentType: ContentType): string | undefined {
  const boundary = contentType.params.boundary;
  if (typeof boundary !== 'string') return undefined;
  return boundary.startsWith('"') ? boundary.slice(1, -1) : boundary;
}
