/**
 * The error answer of every API of the service, and the one HTTP status of each error code. The
 * server's AppError takes its status from this table (server/errors.ts), so a code means the same
 * status wherever it is thrown; the pages import this file with `import type` only.
 */

/** Every error code the service answers, with its HTTP status. */
export const ERROR_STATUS = {
  // 400: the request itself is wrong; the message says what to change.
  BAD_REQUEST: 400,
  VALIDATION_FAILED: 400,
  // S1: Entra ID refused the settings an admin entered (nothing is saved).
  TENANT_NOT_FOUND: 400,
  UNKNOWN_CLIENT_ID: 400,
  INVALID_CLIENT_SECRET: 400,
  TOKEN_REFUSED: 400,
  DEFAULT_USER_NOT_FOUND: 400,
  UNAUTHORIZED: 401,
  INVALID_TOKEN: 401,
  // 403: the caller is known but may not do this (B7: only the organizer changes the meeting's loan).
  NOT_ORGANIZER: 403,
  NOT_FOUND: 404,
  // 409: a well-formed request that the current state of things refuses.
  CONFLICT: 409,
  LOAN_CONFLICT: 409,
  FORBIDDEN_TRANSITION: 409,
  LOAN_NOT_EDITABLE: 409,
  VERSION_CONFLICT: 409,
  INTEGRATION_DISABLED: 409,
  // B9: a check-in outside its window; the message and details say when it opens and closes.
  CHECK_IN_CLOSED: 409,
  PAYLOAD_TOO_LARGE: 413,
  // A body in a form the endpoint does not read (a Content-Type or Content-Encoding other than its own).
  UNSUPPORTED_MEDIA_TYPE: 415,
  RULE_VIOLATION: 422,
  RATE_LIMITED: 429,
  INTERNAL: 500,
  // 502: Graph or Entra ID answered with a failure.
  GRAPH_ERROR: 502,
  GRAPH_THROTTLED: 502,
  AUTHORITY_UNREACHABLE: 502,
  // 503: not possible now; the same request may succeed later (or once an admin has set things up).
  UPSTREAM_ERROR: 503,
  DATABASE_UNAVAILABLE: 503,
  NOT_READY: 503,
  ADDIN_NOT_CONFIGURED: 503,
  INTEGRATION_NOT_CONFIGURED: 503,
} as const satisfies Record<string, number>;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** `{"error":{"code","message","details"?}}`: the body of every non-2xx JSON answer. */
export interface ErrorBody {
  error: {
    code: ErrorCode;
    /** Written for a person; never a stack trace. */
    message: string;
    /** What a program needs to act on it, e.g. `issues` of VALIDATION_FAILED, `conflicts` of LOAN_CONFLICT. */
    details?: Record<string, unknown>;
  };
}
