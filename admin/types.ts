/**
 * Shapes of the admin APIs as the page reads them (mirrors of the server's answers; the admin page
 * imports no server code).
 */

export interface ApiErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export interface MissingPermission {
  permission: string;
  breaks: string;
}

export interface ConnectionReport {
  ok: boolean;
  testedAt?: string;
  tenantId?: string;
  grantedPermissions?: string[];
  missingPermissions: MissingPermission[];
  message: string;
}

export interface SyncReport {
  rooms?: { source?: string; active?: number; ignored?: number; deactivated?: number; renamed?: number };
  subscriptions?: {
    created: string[];
    renewed: string[];
    recreated: string[];
    removed: string[];
    failed: Array<{ roomEmail: string; message: string }>;
  };
  error?: { code: string; message: string };
}

/** GET /api/admin/integration (S1): the secret never comes back, only whether one is saved. */
export interface IntegrationSettings {
  configured?: boolean;
  primaryDomain: string | null;
  clientId: string | null;
  clientSecretSet: boolean;
  defaultStoreId: string | number | null;
  defaultUserEmail: string | null;
  ignoredTags: string;
  enabled: boolean;
  connection: ConnectionReport | null;
  updatedAt?: string | null;
}

export interface SettingsInput {
  primaryDomain: string;
  clientId: string;
  clientSecret?: string;
  defaultStoreId: string | null;
  defaultUserEmail: string | null;
  ignoredTags: string;
  enabled: boolean;
}

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** "07:00"–"20:00", local time of the store. */
export interface OpeningInterval {
  from: string;
  to: string;
}

/** K2 work hours: a day that is missing or empty is closed. */
export type WeeklySchedule = Partial<Record<Weekday, OpeningInterval[]>>;

/**
 * A store's booking options (K1, K2). `schedule` null = open at all hours; `bookingWindowDays`
 * and `maxDurationMinutes` null = no limit.
 */
export interface Store {
  id: string;
  name: string;
  timeZone?: string;
  isDefault?: boolean;
  schedule?: WeeklySchedule | null;
  bookingWindowDays?: number | null;
  maxDurationMinutes?: number | null;
  autoCheckOut?: boolean;
  autoClose?: boolean;
}

/** PATCH /api/hector/stores/{id}: only the settings that change. */
export interface StorePatch {
  timeZone?: string;
  schedule?: WeeklySchedule | null;
  bookingWindowDays?: number | null;
  maxDurationMinutes?: number | null;
  autoCheckOut?: boolean;
  autoClose?: boolean;
}

/** R2: a place's own booking options; null = the store's. */
export interface PlaceOverrides {
  schedule?: WeeklySchedule | null;
  maxDurationMinutes?: number | null;
  autoCheckOut?: boolean | null;
  autoClose?: boolean | null;
}

export interface Place {
  id: string;
  name: string;
  email: string | null;
  address?: string | null;
  building: string | null;
  capacity: number | null;
  storeId?: string;
  active: boolean;
  synced: boolean;
  schedule?: WeeklySchedule | null;
  maxDurationMinutes?: number | null;
  autoCheckOut?: boolean | null;
  autoClose?: boolean | null;
}

export interface LoanItem {
  kind: 'place' | 'asset' | string;
  id: string;
  name: string;
  status: string;
  email?: string | null;
}

export interface Loan {
  id: string;
  number: number | string;
  status: string;
  statusLabel: { fr: string; en: string };
  start: string;
  end: string;
  requester: { email: string; name: string };
  store?: { id: string; name: string };
  items: LoanItem[];
  origin: string;
  notes?: string | null;
  version: number;
}

export interface NewLoan {
  requester: { email: string };
  start: string;
  end: string;
  items: Array<{ kind: 'place'; id: string }>;
}

export interface LoanFilter {
  status?: string;
  from?: string;
  to?: string;
}

export interface JournalEntry {
  id: string;
  at: string;
  kind: string;
  message: string;
  iCalUId: string | null;
  eventId: string | null;
  roomEmail: string | null;
  loanId: string | null;
  details: Record<string, unknown> | null;
}

export interface JournalFilter {
  loanId?: string;
  eventId?: string;
  limit?: number;
}

export interface Subscription {
  id: string;
  roomEmail: string;
  resource: string;
  expiresAt: string;
  confirmedAt: string;
  createdAt: string;
}

export interface Room {
  email: string;
  name: string;
  active: boolean;
}

export interface Gap {
  id: number;
  roomEmail: string;
  from: string;
  to: string;
  reason: string;
  createdAt: string;
  resolvedAt: string | null;
}
