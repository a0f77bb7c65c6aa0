import { ERROR_STATUS, type ErrorCode } from '../contract/errors';

export type { ErrorCode };

/**
 * Errors with a stable code, thrown where the rule lives. The HTTP status comes with the code
 * (contract/errors.ts), so one code never answers two statuses; server/http/errorHandler.ts
 * writes the body. Messages are written for a person.
 */
export class AppError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'AppError';
    this.status = ERROR_STATUS[code];
  }
}

export const badRequest = (message: string, details?: Record<string, unknown>): AppError =>
  new AppError('BAD_REQUEST', message, details);
export const unauthorized = (
  message = 'Authentication required: send Authorization: Bearer <token>.',
): AppError => new AppError('UNAUTHORIZED', message);
export const notFound = (message: string): AppError => new AppError('NOT_FOUND', message);

/** No integration settings saved yet: nothing can reach Graph (the add-in, the harness, reconcile…). */
export const integrationNotConfigured = (): AppError =>
  new AppError(
    'INTEGRATION_NOT_CONFIGURED',
    'The Outlook integration is not configured on this server yet: an admin must save its settings.',
  );

/** Settings saved but switched off (S3): an admin's request that needs the sync running is refused. */
export const integrationDisabled = (): AppError =>
  new AppError(
    'INTEGRATION_DISABLED',
    'The Outlook integration is disabled: enable it in its settings first.',
  );
