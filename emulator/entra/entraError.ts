/** Entra ID's error body: `{error, error_description: "AADSTS<code>: … Trace ID …", error_codes, …}`. */
import type { Response } from 'express';
import { randomUUID } from 'node:crypto';

export function entraError(
  res: Response,
  status: number,
  error: string,
  code: number,
  description: string,
): void {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  res.status(status).json({
    error,
    error_description: `AADSTS${code}: ${description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${new Date().toISOString()}`,
    error_codes: [code],
    timestamp: new Date().toISOString(),
    trace_id: traceId,
    correlation_id: correlationId,
  });
}

/** AADSTS700016: the client id names no application in the tenant. */
export function unknownClient(res: Response, clientId: string | undefined, tenantName: string): void {
  entraError(
    res,
    400,
    'unauthorized_client',
    700016,
    `Application with identifier '${clientId ?? ''}' was not found in the directory '${tenantName}'.`,
  );
}
