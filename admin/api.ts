import type {
  Gap,
  IntegrationSettings,
  JournalEntry,
  JournalFilter,
  Loan,
  LoanFilter,
  NewLoan,
  Place,
  PlaceOverrides,
  Room,
  SettingsInput,
  Store,
  StorePatch,
  Subscription,
  SyncReport,
} from './types';

/**
 * An answer the server refused, in its own words ({"error":{"code","message"}}). `status` 0 means
 * the server could not be reached at all.
 */
export class AdminApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Per-field problems of a VALIDATION_FAILED answer, when the server gave them. */
    readonly issues: Array<{ field: string; message: string }> = [],
  ) {
    super(message);
    this.name = 'AdminApiError';
  }
}

export type LoanAction = 'cancel' | 'refuse' | 'check-out' | 'return';

export interface AdminApi {
  integration(): Promise<IntegrationSettings>;
  saveIntegration(input: SettingsInput): Promise<IntegrationSettings & { sync?: SyncReport }>;
  syncNow(): Promise<SyncReport>;
  subscriptions(): Promise<Subscription[]>;
  rooms(): Promise<Room[]>;
  gaps(): Promise<Gap[]>;
  journal(filter?: JournalFilter): Promise<JournalEntry[]>;
  stores(): Promise<Store[]>;
  places(): Promise<Place[]>;
  /** R2: a place's booking options, set by hand (Graph does not expose the room's). */
  updatePlace(id: string, patch: PlaceOverrides): Promise<Place>;
  updateStore(id: string, patch: StorePatch): Promise<Store>;
  loans(filter?: LoanFilter): Promise<Loan[]>;
  loan(id: string): Promise<Loan>;
  createLoan(loan: NewLoan): Promise<Loan>;
  loanAction(id: string, action: LoanAction): Promise<Loan>;
}

export interface AdminApiOptions {
  /** Origin of the service (default: the page's own). */
  base?: string;
  token: string;
  fetch?: typeof fetch;
}

function issuesOf(details: unknown): Array<{ field: string; message: string }> {
  const issues = (details as { issues?: unknown } | undefined)?.issues;
  if (!Array.isArray(issues)) return [];
  return issues
    .filter((i): i is Record<string, unknown> => Boolean(i) && typeof i === 'object')
    .map((i) => ({ field: String(i.field ?? i.path ?? ''), message: String(i.message ?? '') }));
}

export function createAdminApi(options: AdminApiOptions): AdminApi {
  const base = (options.base ?? '').replace(/\/+$/, '');
  const doFetch = options.fetch ?? ((input, init) => globalThis.fetch(input, init));

  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${options.token}`,
          Accept: 'application/json',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        cache: 'no-store',
      });
    } catch {
      throw new AdminApiError(0, 'UNREACHABLE', '');
    }
    const payload = (await response.json().catch(() => undefined)) as
      { error?: { code?: string; message?: string; details?: unknown } } | undefined;
    if (!response.ok) {
      const error = payload?.error;
      throw new AdminApiError(
        response.status,
        error?.code ?? `HTTP_${response.status}`,
        error?.message ?? '',
        issuesOf(error?.details),
      );
    }
    return payload as T;
  }

  const query = (params: Record<string, string | number | undefined>): string => {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(params)) {
      if (value !== undefined && value !== '') search.set(key, String(value));
    }
    const text = search.toString();
    return text ? `?${text}` : '';
  };
  const enc = encodeURIComponent;

  return {
    integration: () => call('GET', '/api/admin/integration'),
    saveIntegration: (input) => call('PUT', '/api/admin/integration', input),
    syncNow: () => call('POST', '/api/admin/integration/sync'),
    subscriptions: async () =>
      (await call<{ subscriptions: Subscription[] }>('GET', '/api/admin/integration/subscriptions'))
        .subscriptions,
    rooms: async () => (await call<{ rooms: Room[] }>('GET', '/api/admin/integration/rooms')).rooms,
    gaps: async () => (await call<{ gaps: Gap[] }>('GET', '/api/admin/integration/gaps')).gaps,
    journal: async (filter = {}) =>
      (
        await call<{ items: JournalEntry[] }>(
          'GET',
          `/api/admin/journal${query({ loanId: filter.loanId, eventId: filter.eventId, limit: filter.limit ?? 200 })}`,
        )
      ).items,
    stores: async () => (await call<{ items: Store[] }>('GET', '/api/hector/stores')).items,
    places: async () => (await call<{ items: Place[] }>('GET', '/api/hector/places')).items,
    updatePlace: (id, patch) => call('PATCH', `/api/hector/places/${enc(id)}`, patch),
    updateStore: (id, patch) => call('PATCH', `/api/hector/stores/${enc(id)}`, patch),
    loans: async (filter = {}) =>
      (
        await call<{ items: Loan[] }>(
          'GET',
          `/api/hector/loans${query({ status: filter.status, from: filter.from, to: filter.to, limit: 500 })}`,
        )
      ).items,
    loan: (id) => call('GET', `/api/hector/loans/${enc(id)}`),
    createLoan: (loan) => call('POST', '/api/hector/loans', loan),
    loanAction: (id, action) => call('POST', `/api/hector/loans/${enc(id)}/${action}`),
  };
}
