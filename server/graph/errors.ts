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

  get forbidden(): boolean {
    return (
      this.graphStatus === 403 ||
      this.graphCode === 'ErrorAccessDenied' ||
      this.graphCode === 'Authorization_RequestDenied'
    );
  }
}

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
