/**
 * The Hector API contract (`/api/hector`, admin token): stores, places, assets, loans and
 * availability, as the server answers and accepts them. Types only for the pages; the server's
 * loans core (server/hector/port.ts) is built on these shapes. All times are ISO 8601 instants in
 * UTC, ids are uuids as strings.
 *
 * - `GET /stores` → `ListOf<Store>`; `POST /stores` StoreInput → 201 Store;
 *   `GET|PATCH /stores/{id}` (StorePatch) → Store
 * - `GET /places?active&synced` → `ListOf<Place>`; `POST /places` PlaceInput → 201 Place;
 *   `GET|PATCH /places/{id}` (PlacePatch, e.g. PlaceOverrides) → Place
 * - `GET /assets` → `ListOf<Asset>`; `POST /assets` AssetInput → 201 Asset; `GET|PATCH /assets/{id}` → Asset
 * - `GET /loans?` LoanFilter → `ListOf<Loan>`; `POST /loans` NewLoan → 201 Loan; `GET /loans/{id}`,
 *   `PATCH /loans/{id}` LoanPatch, `POST /loans/{id}/{LoanAction}`, `POST /loans/{id}/items/{itemId}/cancel` → Loan
 * - `GET /availability?placeId&assetId&from&to&excludeLoanId` → Availability
 */
import type { LoanPhase, LoanStatus } from './loanStatus';

export type { LoanPhase, LoanStatus };

/** A list answer. */
export interface ListOf<T> {
  items: T[];
}

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

/** "07:00"–"20:00", local time of the store. */
export interface OpeningInterval {
  from: string;
  to: string;
}

/** K2 opening hours per weekday, in the store's time zone; a day that is missing or empty is closed. */
export type WeeklySchedule = Partial<Record<Weekday, OpeningInterval[]>>;

/** Who made a change: Hector's side (this API, the admin page) or Outlook (the sync). */
export type Origin = 'hector' | 'outlook';
export type ItemKind = 'place' | 'asset';

export interface ItemRef {
  kind: ItemKind;
  id: string;
}

/**
 * A store's booking options (K1, K2). `schedule` null = open at all hours; `bookingWindowDays`
 * and `maxDurationMinutes` null = no limit.
 */
export interface Store {
  id: string;
  name: string;
  timeZone: string;
  schedule: WeeklySchedule | null;
  bookingWindowDays: number | null;
  maxDurationMinutes: number | null;
  autoCheckOut: boolean;
  autoClose: boolean;
  /**
   * B9: a room loan nobody checked in is released (its room item cancelled, the room declines
   * the meeting) this many minutes after its start; null = off (the default).
   */
  autoReleaseMinutes: number | null;
  /** B9: people check in from this many minutes before the start… */
  checkInBeforeMinutes: number;
  /** …to this many after it (10 and 10 by default; a place may override both). */
  checkInAfterMinutes: number;
  isDefault: boolean;
}

export interface StoreInput {
  name: string;
  timeZone?: string;
  schedule?: WeeklySchedule | null;
  bookingWindowDays?: number | null;
  maxDurationMinutes?: number | null;
  autoCheckOut?: boolean;
  autoClose?: boolean;
  autoReleaseMinutes?: number | null;
  checkInBeforeMinutes?: number;
  checkInAfterMinutes?: number;
}

/** Only the settings that change. */
export type StorePatch = Partial<StoreInput>;

/** A place; its own booking options (R2) are null where the store's apply. */
export interface Place {
  id: string;
  name: string;
  /** The room mailbox (synced places), else null. */
  email: string | null;
  address: string | null;
  building: string | null;
  capacity: number | null;
  storeId: string;
  active: boolean;
  /** Imported from Exchange (R1). */
  synced: boolean;
  externalKey: string | null;
  schedule: WeeklySchedule | null;
  maxDurationMinutes: number | null;
  autoCheckOut: boolean | null;
  autoClose: boolean | null;
  /** B9: the place's own check-in window; null = the store's. */
  checkInBeforeMinutes: number | null;
  checkInAfterMinutes: number | null;
}

export interface PlaceInput {
  name: string;
  email?: string | null;
  address?: string | null;
  building?: string | null;
  capacity?: number | null;
  storeId?: string;
  active?: boolean;
  externalKey?: string | null;
  schedule?: WeeklySchedule | null;
  maxDurationMinutes?: number | null;
  autoCheckOut?: boolean | null;
  autoClose?: boolean | null;
  checkInBeforeMinutes?: number | null;
  checkInAfterMinutes?: number | null;
}

export type PlacePatch = Partial<PlaceInput>;

/** R2: a place's booking options, set by hand (Graph does not expose the room's); null = the store's. */
export type PlaceOverrides = Pick<
  PlacePatch,
  | 'schedule'
  | 'maxDurationMinutes'
  | 'autoCheckOut'
  | 'autoClose'
  | 'checkInBeforeMinutes'
  | 'checkInAfterMinutes'
>;

export interface Asset {
  id: string;
  name: string;
  /** B7: what kind of asset (e.g. "Vidéo", "Audio"), set by staff; null = none. */
  category: string | null;
  storeId: string;
  active: boolean;
}

export interface AssetInput {
  name: string;
  storeId?: string;
  active?: boolean;
  category?: string | null;
}

export type AssetPatch = Partial<AssetInput>;

/** An item of a loan; it can be cancelled on its own (OU2). */
export interface LoanItem {
  kind: ItemKind;
  id: string;
  name: string;
  status: 'active' | 'cancelled';
  /** The place's room mailbox (null for assets and unsynced places). */
  email: string | null;
}

export interface Loan {
  id: string;
  /** The loan number people quote, e.g. 1042. */
  number: number;
  status: LoanStatus;
  statusLabel: { fr: string; en: string };
  phase: LoanPhase;
  start: string;
  end: string;
  requester: { id: string; email: string; name: string };
  store: { id: string; name: string };
  items: LoanItem[];
  origin: Origin;
  notes: string | null;
  /** B9: when someone checked in from the add-in; null = nobody yet. */
  checkedInAt: string | null;
  /** Sent back in a PATCH (`version`) to refuse a change made meanwhile. */
  version: number;
  createdAt: string;
  updatedAt: string;
  /**
   * The statuses this loan may move to now, from Hector's transitions: a client offers the
   * actions that lead there (cancel → cancelled, refuse → refused…) and no others.
   */
  allowedStatuses: LoanStatus[];
  /**
   * What a person may do to this loan now, from Hector's rules: `edit` (dates, rooms, assets with
   * `PATCH`) and the named actions. A client shows these and no others.
   */
  allowedActions: LoanCommand[];
  /** Per item id (a place's or an asset's): what may be done to that item now. */
  allowedItemActions: Record<string, ItemAction[]>;
}

/** The named status changes: `POST /api/hector/loans/{id}/{action}`. */
export type LoanAction = 'cancel' | 'refuse' | 'check-out' | 'return';

/** A loan's allowed actions: its named status changes, and `edit` (PATCH dates and items). */
export type LoanCommand = 'edit' | LoanAction;

/** `POST /api/hector/loans/{id}/items/{itemId}/cancel`. */
export type ItemAction = 'cancel';

export interface NewLoan {
  requester: { email: string; name?: string };
  start: string;
  end: string;
  items: ItemRef[];
  storeId?: string;
  notes?: string | null;
  /** 'new' unless the loan must be approved first. */
  status?: 'new' | 'pending_approval';
}

export interface LoanPatch {
  start?: string;
  end?: string;
  requester?: { email: string; name?: string };
  /** The loan's items after the change: missing ones are cancelled, new ones added (V4 checked). */
  items?: ItemRef[];
  notes?: string | null;
  status?: LoanStatus;
  /** The version the client read; another one is a VERSION_CONFLICT. */
  version?: number;
}

/** The query of `GET /api/hector/loans` (`status` comma-separated in the URL). */
export interface LoanFilter {
  /** Loans overlapping [from, to). */
  from?: string;
  to?: string;
  placeId?: string;
  status?: LoanStatus[];
  requesterEmail?: string;
  limit?: number;
}

export interface Conflict {
  itemId: string;
  itemName: string;
  loanId: string;
  loanNumber: number;
}

export interface Availability {
  available: boolean;
  conflicts: Conflict[];
}
