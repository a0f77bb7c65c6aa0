import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { ERROR_STATUS, type ErrorBody } from '../../contract/errors';
import { AppError, type ErrorCode } from '../errors';
import { DatabaseUnavailableError } from '../store/database';

interface BodyParserError {
  type?: string;
  status?: number;
  expose?: boolean;
}

const isBodyParserError = (e: unknown): e is BodyParserError =>
  typeof e === 'object' && e !== null && 'type' in e && typeof (e as BodyParserError).status === 'number';

/** Looks like a connection failure of pg or PGlite rather than a bug. */
function isDatabaseDown(error: unknown): boolean {
  if (error instanceof DatabaseUnavailableError) return true;
  const code = (error as { code?: unknown })?.code;
  return (
    typeof code === 'string' &&
    ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '57P01', '57P03', '08006', '08001', '08003'].includes(code)
  );
}

/**
 * PostgreSQL (and PGlite) refusing a value it cannot store — a NUL character in text
 * (22021 character_not_in_repertoire) or in json (22P05 untranslatable_character): the client's
 * input, not our bug; the statement failed, so nothing was written.
 */
function isUnstorableText(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  return code === '22021' || code === '22P05';
}

export const notFoundHandler: RequestHandler = (req, res: Response<ErrorBody>) => {
  res
    .status(ERROR_STATUS.NOT_FOUND)
    .json({ error: { code: 'NOT_FOUND', message: `No route for ${req.method} ${req.path}` } });
};

/** The one error shape of the service: {"error":{"code","message"}}; no stack trace leaves. */
export const errorHandler: ErrorRequestHandler = (error: unknown, req, res: Response<ErrorBody>, _next) => {
  let status: number = ERROR_STATUS.INTERNAL;
  let code: ErrorCode = 'INTERNAL';
  let message = 'Something went wrong on our side; the request id in the logs tells which request.';
  let details: Record<string, unknown> | undefined;

  if (error instanceof AppError) {
    ({ status, code, message, details } = error);
  } else if (isBodyParserError(error)) {
    if (error.type === 'entity.too.large') {
      code = 'PAYLOAD_TOO_LARGE';
      status = ERROR_STATUS[code];
      message = 'The request body is larger than this endpoint accepts.';
    } else if (error.type === 'entity.parse.failed') {
      code = 'BAD_REQUEST';
      status = ERROR_STATUS[code];
      message = 'The request body is not valid JSON.';
    } else {
      // body-parser's own status (415 for an unsupported charset…) says more than a bare 400.
      code = 'BAD_REQUEST';
      status = error.status ?? ERROR_STATUS[code];
      message = 'The request body could not be read.';
    }
  } else if (isUnstorableText(error)) {
    code = 'BAD_REQUEST';
    status = ERROR_STATUS[code];
    message = 'The request holds a character the database cannot store (a NUL character).';
  } else if (isDatabaseDown(error)) {
    code = 'DATABASE_UNAVAILABLE';
    status = ERROR_STATUS[code];
    message = 'The database is unreachable; try again shortly.';
    res.setHeader('Retry-After', '5');
  }

  if (status >= 500) req.log?.error({ err: error }, 'request failed');
  if (res.headersSent) return;
  res.status(status).json({ error: { code, message, ...(details ? { details } : {}) } });
};
