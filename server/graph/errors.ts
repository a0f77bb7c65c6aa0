import { AppError, type ErrorCode } from '../errors';

/**
 * A Graph or Entra ID call that failed, with Graph's status and error code
 * (`ErrorAccessDenied`, `Authorization_RequestDenied`, `ResourceNotFound`…).
 */
export class GraphCallError extends AppError {
  constructor(
    readonly graphStatus: number,
    readonly graphCode: string,
    message: string,
  ) {
    super(graphStatus === 429 ? 'GRAPH_THROTTLED' : 'GRAPH_ERROR', message, { graphStatus, graphCode });
    this.name = 'GraphCallError';
  }

  get notFound(): boolean {
    return this.graphStatus === 404;
  }

  /**
   * An application access policy keeps the app out of this mailbox (GDC
   * concepts/auth-limit-mailbox-access.md, "Handling API errors": 403 ErrorAccessDenied "Access to
   * OData is disabled."). Permanent until an admin changes the policy's group: never worth a retry,
   * and not a missing permission either (the app holds it, for the mailboxes in the policy).
   */
  get accessPolicyDenied(): boolean {
    return (
      this.graphStatus === 403 &&
      this.graphCode === 'ErrorAccessDenied' &&
      /access to odata is disabled/i.test(this.message)
    );
  }

  get forbidden(): boolean {
    return (
      this.graphStatus === 403 ||
      this.graphCode === 'ErrorAccessDenied' ||
      this.graphCode === 'Authorization_RequestDenied'
    );
  }
}

/** Whether an error is an application access policy's refusal (see GraphCallError.accessPolicyDenied). */
export const isAccessPolicyDenial = (error: unknown): error is GraphCallError =>
  error instanceof GraphCallError && error.accessPolicyDenied;

/** Entra ID refused the credentials or the tenant: something the admin must fix in the settings. */
export class EntraError extends AppError {
  constructor(code: ErrorCode, message: string) {
    super(code, message);
    this.name = 'EntraError';
  }
}

/** Turns whatever graph-client threw into a GraphCallError (never leaks its stack to a client). */
export function toGraphCallError(error: unknown): Error {
  if (error instanceof GraphCallError || error instanceof EntraError) return error;
  const e = error as { statusCode?: number; code?: string | null; message?: string; body?: unknown };
  if (typeof e?.statusCode === 'number' && e.statusCode > 0) {
    return new GraphCallError(
      e.statusCode,
      e.code ?? 'Unknown',
      e.message ?? `Graph answered ${e.statusCode}`,
    );
  }
  return error instanceof Error ? error : new Error(String(error));
}
