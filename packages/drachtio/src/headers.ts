import type { HeaderMap } from 'drachtio-protocol';

/** Headers and body an application adds to a message it sends. */
export interface MessageOptions {
  /** Any headers, custom ones included; a header may repeat (array). Protected headers are dropped by the server. */
  headers?: HeaderMap;
  body?: string;
}
