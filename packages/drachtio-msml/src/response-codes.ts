/**
 * The `<result response=...>` codes of RFC 5707 that this package produces or names. 200 is
 * success; the 40x range reports a request the media server could not read, the 43x range an
 * object (connection, conference, dialog) that is missing or already there.
 */
export const ResponseCode = {
  OK: 200,
  BAD_REQUEST: 400,
  UNKNOWN_ELEMENT: 401,
  UNSUPPORTED_ELEMENT: 402,
  MISSING_ELEMENT_CONTENT: 403,
  FORBIDDEN_ELEMENT_CONTENT: 404,
  INVALID_ELEMENT_CONTENT: 405,
  UNKNOWN_ATTRIBUTE: 406,
  UNSUPPORTED_ATTRIBUTE: 407,
  MISSING_ATTRIBUTE: 408,
  FORBIDDEN_ATTRIBUTE: 409,
  INVALID_ATTRIBUTE_VALUE: 410,
  OBJECT_DOES_NOT_EXIST: 430,
  OBJECT_ALREADY_EXISTS: 432,
  INTERNAL_ERROR: 500,
} as const;

export type ResponseCodeValue = (typeof ResponseCode)[keyof typeof ResponseCode];
