/**
 * The add-in API contract, shared by the server route `GET /api/addin/loan` and the task pane.
 * Types only: the add-in imports this file with `import type`, never server code.
 *
 * `GET /api/addin/loan?itemId=<REST id of the caller's copy of the event>`
 * with `Authorization: Bearer <the user's Entra ID token for our API>`:
 * - 200 `{ loan: LoanView }` when the event is linked to a Hector loan;
 * - 200 `{ reason: NoLoanReason }` when it is not, with the journal's reason;
 * - either answer has `series` when the event is a series (its master, B3): the series' upcoming
 *   occurrences, each with its own loan or why it has none (the master itself holds no loan);
 * - 401 the token is missing or invalid; 404 the event is not in the caller's mailbox;
 * - 429 the caller is rate-limited (`Retry-After` in seconds);
 * - 503 the add-in API (ADDIN_NOT_CONFIGURED) or the integration (INTEGRATION_NOT_CONFIGURED) is
 *   not set up on this server yet.
 */

import type { ErrorBody } from './errors';
import type { LoanStatus as HectorLoanStatus } from './loanStatus';

/**
 * Hector's loan status codes (`pending_approval`, `new`, `out`, … contract/loanStatus.ts); `statusLabel` carries Hector's own name for display.
 */
export type LoanStatus =
  | HectorLoanStatus
  // A status a newer Hector adds still displays in an older add-in, through its label.
  | (string & Record<never, never>);

/** A loan item's status: the loan statuses, an item can also be cancelled on its own (OU2). */
export type LoanItemStatus = LoanStatus;

export interface LoanItemView {
  kind: 'place' | 'asset';
  id: string;
  name: string;
  status: LoanItemStatus;
  /** Hector's name for the status, in the caller's language when the server knows it. */
  statusLabel?: string;
}

export interface LoanView {
  id: string;
  /** The loan number people quote, e.g. 1042: a JSON number, as /api/hector gives it. */
  number: number;
  status: LoanStatus;
  /** Hector's name for the status (e.g. "Nouveau"). */
  statusLabel: string;
  /** ISO 8601 instants (UTC). */
  start: string;
  end: string;
  requester: { email: string; name: string };
  items: LoanItemView[];
  /** Opens the loan in Hector. */
  url: string;
  /**
   * Something the person should know about the loan now (B5: `awaiting_approval` while a room of
   * the meeting waits for its delegate's approval). Absent when there is nothing to say.
   */
  notice?: LoanNotice;
}

export type LoanNoticeCode = 'awaiting_approval';

export interface LoanNotice {
  code: LoanNoticeCode;
  /** The server's sentence, in the caller's language; the add-in shows its own for a code it knows. */
  message: string;
}

/**
 * Why an event has no loan (A2). `other` covers reasons this add-in does not know. `no_access`:
 * the server may not read the caller's calendar — on-behalf-of is not set up (or was refused) and
 * the app's own access to that mailbox is denied (an application access policy). `sync_failed`
 * (B6): the sync failed for this meeting (or every meeting of its room, e.g. a permission the app
 * lacks) and has not succeeded since; `message` says why and what the admin must do. Retrying
 * by itself will not help, so the task pane stops refreshing.
 */
export type NoLoanReasonCode =
  | 'not_saved'
  | 'no_synced_room'
  | 'room_declined'
  | 'room_unavailable'
  | 'syncing'
  | 'sync_failed'
  | 'not_found'
  | 'no_access'
  /** B3: the event is a series; each occurrence has a loan of its own, listed in `series`. */
  | 'series'
  | 'other';

export interface NoLoanReason {
  code: NoLoanReasonCode;
  /**
   * The server's explanation, always present: a sentence a person understands (the journal's
   * reason when there is one), in the caller's language (English unless French is asked for).
   * The add-in shows it under its own sentence for the code.
   */
  message: string;
}

/** B3: one occurrence's loan, as the series list shows it (the occurrence's own answer has the rest). */
export interface SeriesOccurrenceLoan {
  id: string;
  number: number;
  status: LoanStatus;
  /** Hector's name for the status, in the caller's language. */
  statusLabel: string;
}

/** B3: one upcoming occurrence of a series (an exception with its own times). */
export interface SeriesOccurrenceView {
  /** ISO 8601 instants (UTC). */
  start: string;
  end: string;
  /** Its loan; null when it has none, and then `reason` says why. */
  loan: SeriesOccurrenceLoan | null;
  reason: NoLoanReason | null;
}

/**
 * B3: a series' occurrences from now to the end of the booking window (the longest of its synced
 * rooms' stores, else Exchange's 180 days), by start.
 */
export interface SeriesView {
  occurrences: SeriesOccurrenceView[];
}

export type AddinLoanResponse = ({ loan: LoanView } | { reason: NoLoanReason }) & {
  /** Present when the event is a series (its master): what each upcoming occurrence has. */
  series?: SeriesView;
};

/** The `{"error":{"code","message"}}` shape of every non-2xx answer (contract/errors.ts). */
export type AddinErrorBody = ErrorBody;

/**
 * Issue 17 — the pane acts (B7, B8, B9). Same user token, rate limit and errors as above; the
 * event is always the caller's own copy (`itemId`, its REST id), never anyone else's.
 *
 * - `GET /api/addin/assets?itemId=` → 200 `AddinAssetsResponse`: the store's active assets with
 *   their availability for the meeting's dates (V4; the meeting's own loan does not count).
 * - `POST /api/addin/loan/items` `AddLoanItemBody` → 201 `LoanItemsChanged`; 409 LOAN_CONFLICT when
 *   the asset is lent for those dates; 403 NOT_ORGANIZER for anyone but the organizer.
 * - `DELETE /api/addin/loan/items/{assetId}?itemId=[&scope=]` → 204; 403 as above; 404 not on the loan.
 * - `POST /api/addin/loan/checkin` `CheckInBody` → 200 `{ loan: LoanView }`; 409 CHECK_IN_CLOSED
 *   outside the window (the message says when it opens and closes; `details.opens`/`closes`).
 * - `POST /api/addin/availability` `AvailabilityRequest` → 200 `AvailabilityResponse` (compose mode).
 */

/** One asset as the pane lists it. */
export interface AddinAsset {
  id: string;
  name: string;
  /** Staff's category (e.g. "Vidéo"); null when none. */
  category: string | null;
  /** Whether Hector can lend it for the meeting's dates (true for an asset already on the loan). */
  available: boolean;
  /** Why not, in the caller's language (e.g. taken by loan #1043). */
  reason?: string;
  /** Already an active item of the meeting's loan. */
  onLoan: boolean;
}

export interface AddinAssetsResponse {
  items: AddinAsset[];
  /** Only the organizer changes the loan (attendees see the list read-only). */
  canChange: boolean;
}

/**
 * For a series: `occurrence` (default for an occurrence) changes the opened occurrence's loan,
 * `upcoming` every upcoming occurrence's (the default, and the only choice, on the series itself).
 */
export type LoanScope = 'occurrence' | 'upcoming';

export interface AddLoanItemBody {
  itemId: string;
  assetId: string;
  scope?: LoanScope;
}

/** The loans the change reached (one, or each upcoming occurrence's). */
export interface LoanItemsChanged {
  loans: LoanView[];
}

export interface CheckInBody {
  itemId: string;
}

export interface CheckInResponse {
  loan: LoanView;
}

/** The meeting being composed: its instants (ISO 8601) and its rooms' e-mail addresses. */
export interface AvailabilityRequest {
  start: string;
  end: string;
  rooms: string[];
  /** The REST id of the meeting when it is saved already: its own loan does not count against it. */
  itemId?: string;
}

export interface RoomAvailability {
  email: string;
  available: boolean;
  /** Why Hector cannot lend it then (V4, K2: schedule, maximum duration, booking window). */
  reasons: string[];
}

/** A free room of similar capacity in the same building. */
export interface RoomAlternative {
  email: string;
  name: string;
  building: string | null;
  capacity: number | null;
}

export interface AvailabilityResponse {
  rooms: RoomAvailability[];
  alternatives: RoomAlternative[];
}
