import type {
  AddinAssetsResponse,
  AddinErrorBody,
  AvailabilityRequest,
  AvailabilityResponse,
  CheckInResponse,
  LoanItemsChanged,
  LoanScope,
} from '../contract/addin';
import { SignInRequiredError, type TokenSource } from './auth';

/**
 * The pane's actions (issue 17) over `/api/addin`: the assets of the meeting's loan (B7),
 * check-in (B9) and availability while composing (B8). One answer per call, no retries: a person
 * pressed a button and sees what came of it (the server's message, in their language).
 */
export type ActionResult<T> =
  { ok: true; value: T } | { ok: false; status: number; code?: string; message?: string };

export interface ActionsClient {
  assets(itemId: string): Promise<ActionResult<AddinAssetsResponse>>;
  addAsset(itemId: string, assetId: string, scope?: LoanScope): Promise<ActionResult<LoanItemsChanged>>;
  removeAsset(itemId: string, assetId: string, scope?: LoanScope): Promise<ActionResult<null>>;
  checkIn(itemId: string): Promise<ActionResult<CheckInResponse>>;
  availability(request: AvailabilityRequest): Promise<ActionResult<AvailabilityResponse>>;
}

export interface ActionsClientOptions {
  apiBase: string;
  tokens: TokenSource;
  fetch?: typeof fetch;
  language?: string;
  timeoutMs?: number;
}

export function createActionsClient(options: ActionsClientOptions): ActionsClient {
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const timeoutMs = options.timeoutMs ?? 10_000;
  const lang = options.language ? `lang=${encodeURIComponent(options.language)}` : '';

  async function call<T>(method: string, path: string, query: Record<string, string>, body?: unknown) {
    let bearer: string;
    try {
      bearer = await options.tokens.getToken({});
    } catch (error) {
      if (error instanceof SignInRequiredError) return { ok: false, status: 401 } as ActionResult<T>;
      throw error;
    }
    const search = [
      ...Object.entries(query).map(([k, v]) => `${k}=${encodeURIComponent(v)}`),
      ...(lang ? [lang] : []),
    ].join('&');
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const response = await doFetch(`${options.apiBase}/api/addin${path}${search ? `?${search}` : ''}`, {
        method,
        headers: {
          Authorization: `Bearer ${bearer}`,
          Accept: 'application/json',
          ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        signal: controller.signal,
        cache: 'no-store',
      });
      if (response.status === 204) return { ok: true, value: null } as ActionResult<T>;
      const json = (await response.json().catch(() => undefined)) as unknown;
      if (response.ok && json !== undefined) return { ok: true, value: json as T } as ActionResult<T>;
      const error = (json as AddinErrorBody | undefined)?.error;
      return {
        ok: false,
        status: response.status,
        code: error?.code,
        message: error?.message,
      } as ActionResult<T>;
    } catch {
      return { ok: false, status: 0 } as ActionResult<T>; // network failure or timeout
    } finally {
      clearTimeout(timer);
    }
  }

  const withScope = (scope?: LoanScope): Record<string, string> => (scope ? { scope } : {});
  return {
    assets: (itemId) => call('GET', '/assets', { itemId }),
    addAsset: (itemId, assetId, scope) =>
      call('POST', '/loan/items', {}, { itemId, assetId, ...withScope(scope) }),
    removeAsset: (itemId, assetId, scope) =>
      call('DELETE', `/loan/items/${encodeURIComponent(assetId)}`, { itemId, ...withScope(scope) }),
    checkIn: (itemId) => call('POST', '/loan/checkin', {}, { itemId }),
    availability: (request) => call('POST', '/availability', {}, request),
  };
}
