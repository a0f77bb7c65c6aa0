import type { ReleasedLoan } from './checkIn';
import type { RuleViolation } from './rules';
import type { LoanStatus } from './statuses';
import type {
  Asset,
  AssetInput,
  Availability,
  Conflict,
  ItemKind,
  ItemRef,
  Loan as LoanAnswer,
  LoanFilter,
  LoanItem,
  LoanPatch as LoanPatchBody,
  NewLoan,
  Origin,
  Place,
  PlaceInput,
  Store,
  StoreInput,
} from '../../contract/hector';

/**
 * HectorPort: what the rest of the service (the sync above all) may ask of Hector's loans core.
 * The embedded implementation lives on our database; a remote Hector could implement it later.
 * All times are ISO 8601 strings in UTC; ids are uuids as strings. The plain objects are the
 * Hector API's own shapes (contract/hector.ts): the API answers what the core returns.
 */
export type { ReleasedLoan };
export type {
  Asset,
  AssetInput,
  Availability,
  Conflict,
  ItemKind,
  ItemRef,
  LoanFilter,
  LoanItem,
  NewLoan,
  Origin,
  Place,
  PlaceInput,
  Store,
  StoreInput,
};

/** A loan as the core holds it; the API adds what it derives for clients (allowed statuses, actions). */
export type Loan = Omit<LoanAnswer, 'allowedStatuses' | 'allowedActions' | 'allowedItemActions'>;

/** A change to a loan as the core takes it: the version the client read is updateLoan's own argument. */
export type LoanPatch = Omit<LoanPatchBody, 'version'>;

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
  /** B9: someone came (inside the check-in window, else CHECK_IN_CLOSED 409); checks the loan out. */
  checkIn(loanId: string): Promise<Loan>;
  /** B9: the loans nobody checked in within their store's autoReleaseMinutes are cancelled. */
  releaseUncheckedRooms(now: Date): Promise<ReleasedLoan[]>;
  /** K1: moves loans on with the clock; returns how many loans changed. */
  advanceLoanStatuses(now: Date): Promise<number>;
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
