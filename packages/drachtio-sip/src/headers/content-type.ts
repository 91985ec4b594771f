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

  protected publicFields(): readonly string[] {
    return ['type', 'subtype', 'mediaType'];
  }
}

export function parseContentType(value: string): ContentType {
  // what nearly every INVITE and 200 carries
  if (value === 'application/sdp')
    return new ParsedContentType('application', 'sdp', 'application/sdp', []);
  const scanner = new Scanner(value, 'content-type');
  const type = scanner.token('the media type').toLowerCase();
  scanner.expect(47 /* / */, '"/"');
  const subtype = scanner.token('the media subtype').toLowerCase();
  const paramList = scanner.genericParams([], -1);
  return new ParsedContentType(type, subtype, `${type}/${subtype}`, paramList);
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
