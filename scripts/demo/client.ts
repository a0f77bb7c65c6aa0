import type { ErrorBody } from '../../contract/errors';

/**
 * A small JSON client for the service's admin API, as any script or curl would use it: the
 * admin token as a bearer, errors turned into one readable line. The bodies are the API's own
 * types (contract/).
 */
export interface ApiClient {
  get<T>(path: string): Promise<T>;
  send<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<T>;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export function apiClient(baseUrl: string, adminToken: string): ApiClient {
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${baseUrl}${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${adminToken}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await response.text();
    const json = text ? (JSON.parse(text) as unknown) : undefined;
    if (!response.ok) {
      const error = (json as Partial<ErrorBody> | undefined)?.error;
      throw new ApiError(
        response.status,
        error?.code ?? String(response.status),
        `${method} ${path}: ${response.status} ${error?.message ?? text.slice(0, 200)}`,
      );
    }
    return json as T;
  };
  return {
    get: (path) => call('GET', path),
    send: (method, path, body) => call(method, path, body),
  };
}
