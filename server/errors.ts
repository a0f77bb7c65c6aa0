/**
 * Errors with a stable code, thrown where the rule lives. The HTTP layer maps codes to
 * statuses (server/http/errorHandler.ts); messages are written for a person.
 */
export type ErrorCode =
  | 'BAD_REQUEST'
  | 'VALIDATION_FAILED'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'RULE_VIOLATION'
  | 'PAYLOAD_TOO_LARGE'
  | 'RATE_LIMITED'
  | 'DATABASE_UNAVAILABLE'
  | 'UPSTREAM_ERROR'
  | 'INTERNAL';

export class AppError extends Error {
  constructor(
    readonly code: ErrorCode | string,
    message: string,
    readonly status: number,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (message: string, details?: Record<string, unknown>): AppError =>
  new AppError('BAD_REQUEST', message, 400, details);
export const unauthorized = (
  message = 'Authentication required: send Authorization: Bearer <token>.',
): AppError => new AppError('UNAUTHORIZED', message, 401);
export const notFound = (message: string): AppError => new AppError('NOT_FOUND', message, 404);
