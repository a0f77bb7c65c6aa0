import type { AddinLoanResponse, LoanView, NoLoanReason, SeriesView } from '../contract/addin';
import { SignInRequiredError, type TokenRequest, type TokenSource } from './auth';

/**
 * Why the pane shows no loan: the server's reason (always with its message), or one the add-in
 * finds without the server's explanation (an unsaved event, a 404), told by the code's sentence.
 */
export type PaneNoLoanReason = Pick<NoLoanReason, 'code'> & Partial<Pick<NoLoanReason, 'message'>>;

/** What the task pane can show after asking the server about an event. */
export type LoanOutcome =
  | { kind: 'loan'; loan: LoanView; series?: SeriesView }
  | { kind: 'noLoan'; reason: PaneNoLoanReason; series?: SeriesView }
  | { kind: 'error'; error: ApiErrorKind };

/** sign_in: no token or the API refused it (401); unreachable: network or 5xx; busy: 429. */
export type ApiErrorKind = 'sign_in' | 'unreachable' | 'busy';

export interface ApiClientOptions {
  /** Origin of our API, e.g. "https://hector.example.org" (no trailing slash). */
  apiBase: string;
  tokens: TokenSource;
  fetch?: typeof fetch;
  /** Further attempts after a network error, a 5xx or a 429 (default 2). */
  retries?: number;
  /** First back-off delay; doubles each attempt (default 400 ms). */
  retryDelayMs?: number;
  /** Office's display language (e.g. fr-FR): the server words status labels in it. */
  language?: string;
  /** Per-request time limit (default 10 s). */
  timeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface ApiClient {
  loan(itemId: string, request?: TokenRequest): Promise<LoanOutcome>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
/** Never wait longer than this for a Retry-After inside one user action. */
const MAX_RETRY_AFTER_MS = 5_000;

export function createApiClient(options: ApiClientOptions): ApiClient {
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const retries = options.retries ?? 2;
  const baseDelay = options.retryDelayMs ?? 400;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const sleep = options.sleep ?? defaultSleep;

  async function token(request: TokenRequest): Promise<string | undefined> {
    try {
      return await options.tokens.getToken(request);
    } catch (error) {
      if (error instanceof SignInRequiredError) return undefined;
      throw error;
    }
  }

  async function get(itemId: string, bearer: string): Promise<Response | undefined> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      const lang = options.language ? `&lang=${encodeURIComponent(options.language)}` : '';
      return await doFetch(`${options.apiBase}/api/addin/loan?itemId=${encodeURIComponent(itemId)}${lang}`, {
        headers: { Authorization: `Bearer ${bearer}`, Accept: 'application/json' },
        signal: controller.signal,
        cache: 'no-store',
      });
    } catch {
      return undefined; // network failure or timeout
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    async loan(itemId, request = {}) {
      let bearer = await token(request);
      if (!bearer) return { kind: 'error', error: 'sign_in' };
      let refreshed = Boolean(request.forceRefresh);
      let last: ApiErrorKind = 'unreachable';
      for (let attempt = 0; attempt <= retries; attempt++) {
        const response = await get(itemId, bearer);
        if (response?.status === 401) {
          // One fresh token, in case the cached one expired; a second 401 means sign in again.
          if (refreshed) return { kind: 'error', error: 'sign_in' };
          refreshed = true;
          bearer = await token({ ...request, forceRefresh: true });
          if (!bearer) return { kind: 'error', error: 'sign_in' };
          attempt--;
          continue;
        }
        if (response?.status === 404) return { kind: 'noLoan', reason: { code: 'not_found' } };
        if (response?.ok) {
          const body = (await response.json().catch(() => undefined)) as AddinLoanResponse | undefined;
          // B3: a series (its master) comes with its occurrences; an older server sends none.
          const series = body && Array.isArray(body.series?.occurrences) ? { series: body.series } : {};
          if (body && 'loan' in body && body.loan) return { kind: 'loan', loan: body.loan, ...series };
          if (body && 'reason' in body && body.reason) {
            return { kind: 'noLoan', reason: body.reason, ...series };
          }
          return { kind: 'error', error: 'unreachable' };
        }
        let wait = baseDelay * 2 ** attempt;
        if (response?.status === 429) {
          last = 'busy';
          const seconds = Number(response.headers.get('Retry-After'));
          if (Number.isFinite(seconds) && seconds > 0) wait = Math.min(seconds * 1000, MAX_RETRY_AFTER_MS);
        } else if (response && response.status < 500) {
          // Another 4xx will not get better by asking again.
          return { kind: 'error', error: 'unreachable' };
        } else {
          last = 'unreachable';
        }
        if (attempt < retries) await sleep(wait);
      }
      return { kind: 'error', error: last };
    },
  };
}
