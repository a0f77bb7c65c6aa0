import type { RuleViolation } from './rules';
import type { LoanPhase, LoanStatus } from './statuses';
import type { WeeklySchedule } from '../store/tables/hector';

/**
 * HectorPort: what the rest of the service (the sync above all) may ask of Hector's loans core.
 * The embedded implementation lives on our database; a remote Hector could implement it later.
 * All times are ISO 8601 strings in UTC; ids are uuids as strings.
 */
export type Origin = 'hector' | 'outlook';
export type ItemKind = 'place' | 'asset';

export interface ItemRef {
  kind: ItemKind;
  id: string;
}

export interface LoanItem {
  kind: ItemKind;
  id: string;
  name: string;
  status: 'active' | 'cancelled';
  /** The place's room mailbox, for the sync (null for assets and unsynced places). */
  email: string | null;
}

export interface Loan {
  id: string;
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
  version: number;
  createdAt: string;
  updatedAt: string;
}

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
}

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

export interface Store {
  id: string;
  name: string;
  timeZone: string;
  schedule: WeeklySchedule | null;
  bookingWindowDays: number | null;
  maxDurationMinutes: number | null;
  autoCheckOut: boolean;
  autoClose: boolean;
  isDefault: boolean;
}

export interface Place {
  id: string;
  name: string;
  email: string | null;
  address: string | null;
  building: string | null;
  capacity: number | null;
  storeId: string;
  active: boolean;
  synced: boolean;
  externalKey: string | null;
  schedule: WeeklySchedule | null;
  maxDurationMinutes: number | null;
  autoCheckOut: boolean | null;
  autoClose: boolean | null;
}

export interface Asset {
  id: string;
  name: string;
  storeId: string;
  active: boolean;
}

export interface User {
  id: string;
  email: string;
  name: string;
  active: boolean;
  source: Origin;
}

/** A room as the Exchange import sees it (R1). */
export interface RoomInput {
  email: string;
  name: string;
  address?: string | null;
  building?: string | null;
  capacity?: number | null;
  externalKey?: string | null;
}

/** What changed, as recorded in the outbox with the change's origin. */
export type LoanChange =
  | { type: 'created'; number: number }
  | { type: 'updated'; changed: string[] }
  | { type: 'status'; from: LoanStatus; to: LoanStatus; automatic?: boolean }
  | { type: 'item_cancelled'; itemKind: ItemKind; itemId: string };

export interface OutboxEntry {
  id: string;
  loanId: string;
  origin: Origin;
  change: LoanChange;
  createdAt: string;
}

export interface HectorPort {
  getLoan(id: string): Promise<Loan | null>;
  findLoans(filter: LoanFilter): Promise<Loan[]>;
  /** Throws RULE_VIOLATION (422), LOAN_CONFLICT (409) or NOT_FOUND (404); writes nothing then. */
  createLoan(input: NewLoan, origin: Origin): Promise<Loan>;
  /** expectedVersion, when given, must match the stored version (else VERSION_CONFLICT, 409). */
  updateLoan(id: string, patch: LoanPatch, origin: Origin, expectedVersion?: number): Promise<Loan>;
  cancelLoan(id: string, origin: Origin): Promise<Loan>;
  refuseLoan(id: string, origin: Origin): Promise<Loan>;
  /** OU2: one item leaves the loan; the loan is cancelled when no active item is left. */
  cancelItem(loanId: string, itemId: string, origin: Origin): Promise<Loan>;
  checkOut(id: string, origin: Origin): Promise<Loan>;
  returnLoan(id: string, origin: Origin): Promise<Loan>;
  /** V4: conflicting loans over [start, end) in the not-started and in-progress phases. */
  checkAvailability(
    items: ItemRef[],
    start: string,
    end: string,
    excludeLoanId?: string,
  ): Promise<Availability>;
  /** Every rule of a would-be loan (dates, items, K2 options); empty when valid. No write. */
  validateLoan(input: { start: string; end: string; items: ItemRef[] }): Promise<RuleViolation[]>;
  /** R1: creates or updates the place with this room e-mail (case-insensitive); marks it synced and active. */
  upsertPlaceByEmail(room: RoomInput): Promise<Place>;
  /** R1: synced places whose e-mail is not in the list become inactive (never deleted). Returns how many. */
  deactivatePlacesNotIn(emails: string[]): Promise<number>;
  listPlaces(filter?: { active?: boolean; synced?: boolean }): Promise<Place[]>;
  ensureUser(email: string, displayName: string | undefined, source: Origin): Promise<User>;
  pendingOutbox(limit: number): Promise<OutboxEntry[]>;
  markDispatched(ids: string[]): Promise<void>;
  /** K1: moves loans on with the clock; returns how many loans changed. */
  advanceLoanStatuses(now: Date): Promise<number>;
}

export interface StoreInput {
  name: string;
  timeZone?: string;
  schedule?: WeeklySchedule | null;
  bookingWindowDays?: number | null;
  maxDurationMinutes?: number | null;
  autoCheckOut?: boolean;
  autoClose?: boolean;
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
}

export interface AssetInput {
  name: string;
  storeId?: string;
  active?: boolean;
}

/** Administration of the catalogue (the REST API's stores, places and assets). */
export interface HectorAdmin {
  listStores(): Promise<Store[]>;
  getStore(id: string): Promise<Store | null>;
  createStore(input: StoreInput): Promise<Store>;
  updateStore(id: string, patch: Partial<StoreInput>): Promise<Store>;
  getPlace(id: string): Promise<Place | null>;
  createPlace(input: PlaceInput): Promise<Place>;
  updatePlace(id: string, patch: Partial<PlaceInput>): Promise<Place>;
  listAssets(): Promise<Asset[]>;
  getAsset(id: string): Promise<Asset | null>;
  createAsset(input: AssetInput): Promise<Asset>;
  updateAsset(id: string, patch: Partial<AssetInput>): Promise<Asset>;
}

export type HectorService = HectorPort & HectorAdmin;
