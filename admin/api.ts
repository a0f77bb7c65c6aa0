import type {
  AdminStatus,
  ConnectionTest,
  ConnectionTestRequest,
  DeadLetter,
  DeadLetterList,
  DeadLetterRetried,
  DriftFixQueued,
  DriftFixRequest,
  Gap,
  ReconcileRun,
  ReconcileRunStarted,
  GapList,
  PendingRoomRemoval,
  Room,
  RoomList,
  RoomRemovalDecision,
  SavedSettings,
  SettingsInput,
  SettingsView,
  Subscription,
  SubscriptionList,
  SyncReport,
} from '../contract/admin';
import type { ErrorBody } from '../contract/errors';
import type {
  Asset,
  AssetInput,
  AssetPatch,
  ListOf,
  Loan,
  LoanAction,
  LoanFilter,
  LoanPatch,
  NewLoan,
  Place,
  PlacePatch,
  Store,
  StoreInput,
  StorePatch,
} from '../contract/hector';
import type { JournalEntry, JournalFilter, JournalPage } from '../contract/journal';

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

export interface AdminApi {
  integration(): Promise<SettingsView>;
  saveIntegration(input: SettingsInput): Promise<SavedSettings>;
  syncNow(): Promise<SyncReport>;
  subscriptions(): Promise<Subscription[]>;
  rooms(): Promise<Room[]>;
  /** R1 guard: the room removal an import held back, waiting for a decision. */
  pendingRoomRemoval(): Promise<PendingRoomRemoval>;
  decideRoomRemoval(id: number, decision: 'confirm' | 'dismiss'): Promise<RoomRemovalDecision>;
  gaps(): Promise<Gap[]>;
  journal(filter?: JournalFilter): Promise<JournalEntry[]>;
  /** One page of the journal, with the cursor of the next (older) one. */
  journalPage(filter?: JournalFilter): Promise<JournalPage>;
  stores(): Promise<Store[]>;
  places(): Promise<Place[]>;
  /** R2: a place's booking options, set by hand (Graph does not expose the room's). */
  updatePlace(id: string, patch: PlacePatch): Promise<Place>;
  updateStore(id: string, patch: StorePatch): Promise<Store>;
  createStore(input: StoreInput): Promise<Store>;
  assets(): Promise<Asset[]>;
  createAsset(input: AssetInput): Promise<Asset>;
  updateAsset(id: string, patch: AssetPatch): Promise<Asset>;
  loans(filter?: LoanFilter): Promise<Loan[]>;
  loan(id: string): Promise<Loan>;
  createLoan(loan: NewLoan): Promise<Loan>;
  loanAction(id: string, action: LoanAction): Promise<Loan>;
  /** Dates, rooms and assets (`version`: the one read, so a change made meanwhile is refused). */
  updateLoan(id: string, patch: LoanPatch): Promise<Loan>;
  cancelLoanItem(loanId: string, itemId: string): Promise<Loan>;
  /** Issue 15: per-room health, queues, lag, credentials. */
  status(): Promise<AdminStatus>;
  deadLetters(): Promise<DeadLetter[]>;
  retryDeadLetter(id: string): Promise<DeadLetterRetried>;
  /** A re-sync (every room, or one); its progress through reconcileRun. */
  startReconcile(roomEmail?: string): Promise<ReconcileRunStarted>;
  reconcileRun(id: string): Promise<ReconcileRun>;
  /** Queues a drift item of a finished run again (a meeting for inbound, a loan for outbound). */
  fixDrift(runId: string, fix: DriftFixRequest): Promise<DriftFixQueued>;
  /** S2 without saving: the saved settings (no input) or the ones about to be saved. */
  testConnection(input?: ConnectionTestRequest): Promise<ConnectionTest>;
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
    // An answer that is not the service's own (a proxy's page) has no body to read.
    const payload = (await response.json().catch(() => undefined)) as Partial<ErrorBody> | undefined;
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
      (await call<SubscriptionList>('GET', '/api/admin/integration/subscriptions')).subscriptions,
    rooms: async () => (await call<RoomList>('GET', '/api/admin/integration/rooms')).rooms,
    pendingRoomRemoval: () => call('GET', '/api/admin/integration/rooms/pending-removal'),
    decideRoomRemoval: (id, decision) =>
      call('POST', `/api/admin/integration/rooms/pending-removal/${enc(String(id))}/${decision}`),
    gaps: async () => (await call<GapList>('GET', '/api/admin/integration/gaps')).gaps,
    journal: async (filter = {}) =>
      (
        await call<JournalPage>(
          'GET',
          `/api/admin/journal${query({ loanId: filter.loanId, eventId: filter.eventId, limit: filter.limit ?? 200 })}`,
        )
      ).items,
    journalPage: (filter = {}) =>
      call<JournalPage>(
        'GET',
        `/api/admin/journal${query({
          loanId: filter.loanId,
          eventId: filter.eventId,
          loanNumber: filter.loanNumber,
          roomEmail: filter.roomEmail,
          kind: Array.isArray(filter.kind) ? filter.kind.join(',') : filter.kind,
          from: filter.from,
          to: filter.to,
          q: filter.q,
          cursor: filter.cursor,
          lang: filter.lang,
          limit: filter.limit ?? 200,
        })}`,
      ),
    stores: async () => (await call<ListOf<Store>>('GET', '/api/hector/stores')).items,
    places: async () => (await call<ListOf<Place>>('GET', '/api/hector/places')).items,
    updatePlace: (id, patch) => call('PATCH', `/api/hector/places/${enc(id)}`, patch),
    updateStore: (id, patch) => call('PATCH', `/api/hector/stores/${enc(id)}`, patch),
    createStore: (input) => call('POST', '/api/hector/stores', input),
    assets: async () => (await call<ListOf<Asset>>('GET', '/api/hector/assets')).items,
    createAsset: (input) => call('POST', '/api/hector/assets', input),
    updateAsset: (id, patch) => call('PATCH', `/api/hector/assets/${enc(id)}`, patch),
    loans: async (filter = {}) =>
      (
        await call<ListOf<Loan>>(
          'GET',
          `/api/hector/loans${query({ status: filter.status?.join(','), from: filter.from, to: filter.to, limit: 500 })}`,
        )
      ).items,
    loan: (id) => call('GET', `/api/hector/loans/${enc(id)}`),
    createLoan: (loan) => call('POST', '/api/hector/loans', loan),
    loanAction: (id, action) => call('POST', `/api/hector/loans/${enc(id)}/${action}`),
    updateLoan: (id, patch) => call('PATCH', `/api/hector/loans/${enc(id)}`, patch),
    cancelLoanItem: (loanId, itemId) =>
      call('POST', `/api/hector/loans/${enc(loanId)}/items/${enc(itemId)}/cancel`),
    status: () => call('GET', '/api/admin/status'),
    deadLetters: async () => (await call<DeadLetterList>('GET', '/api/admin/dead-letters')).deadLetters,
    retryDeadLetter: (id) => call('POST', `/api/admin/dead-letters/${enc(id)}/retry`),
    startReconcile: (roomEmail) => call('POST', '/api/admin/reconcile', roomEmail ? { roomEmail } : {}),
    reconcileRun: (id) => call('GET', `/api/admin/reconcile/${enc(id)}`),
    fixDrift: (runId, fix) => call('POST', `/api/admin/reconcile/${enc(runId)}/fix`, fix),
    testConnection: (input = {}) => call('POST', '/api/admin/integration/test', input),
  };
}
