/**
 * The admin integration API contract (`/api/admin/integration`, admin token): the S1 settings,
 * the connection test (S2), the synchronisation (S3, R1–R3, E1), subscriptions, rooms, gaps and
 * reconcile (B1, B2). Types only for the pages; the server answers with exactly these shapes.
 *
 * - `GET /` → SettingsView; `PUT /` SettingsInput → SavedSettings (a 4xx ErrorBody when Entra ID
 *   refuses the settings: nothing is saved then)
 * - `POST /sync` → SyncReport
 * - `GET /subscriptions` → SubscriptionList; `GET /rooms` → RoomList; `GET /gaps` → GapList
 * - `POST /reconcile` ReconcileRequest → ReconcileAnswer; 503 INTEGRATION_NOT_CONFIGURED before the
 *   settings are saved, 409 INTEGRATION_DISABLED while they are saved but disabled
 * - `GET /rooms/pending-removal` → PendingRoomRemoval; `POST /rooms/pending-removal/{id}/confirm` or
 *   `/dismiss` → RoomRemovalDecision (404 NOT_FOUND for an unknown review, 409 CONFLICT once decided)
 * - `GET /journal` → see contract/journal.ts
 */

/** S2: an application permission the app lacks, and what goes wrong without it. */
export interface MissingPermission {
  permission: string;
  breaks: string;
}

/** The outcome of the connection test run by each save. */
export interface ConnectionReport {
  ok: boolean;
  testedAt: string;
  tenantId: string;
  grantedPermissions: string[];
  missingPermissions: MissingPermission[];
  /**
   * Mailboxes of the default user and of rooms that an application access policy keeps the app
   * out of (README Azure step 7), lower-case; absent when none is.
   */
  outsideAccessPolicy?: string[];
  message: string;
}

/** S1 as the API returns it: the secret never leaves, only whether one is saved. */
export interface SettingsView {
  /** false until the settings are saved once (every other field is then null or empty). */
  configured: boolean;
  primaryDomain: string | null;
  tenantId: string | null;
  clientId: string | null;
  clientSecretSet: boolean;
  defaultStoreId: string | number | null;
  defaultUserEmail: string | null;
  ignoredTags: string;
  enabled: boolean;
  connection: ConnectionReport | null;
  updatedAt: string | null;
  /** The client secret's expiry as the admin entered it (ISO 8601); null: not known. */
  secretExpiresAt: string | null;
}

/** S1: what an admin sends. */
export interface SettingsInput {
  primaryDomain: string;
  clientId: string;
  /** Left out to keep the saved secret (same client id). */
  clientSecret?: string;
  defaultStoreId?: string | number | null;
  defaultUserEmail?: string | null;
  /** R3: comma-separated tags of rooms not to import. */
  ignoredTags?: string;
  /** true when left out. */
  enabled?: boolean;
  /**
   * The client secret's expiry, copied from Entra ID (a date or an ISO 8601 instant); left out to
   * keep the saved one (cleared when a new secret is sent without it), null to forget it.
   */
  secretExpiresAt?: string | null;
}

/** R1–R3: what a room import did (lower-case room e-mails). */
export interface RoomImportResult {
  source: 'places' | 'users';
  /** Active rooms after the import. */
  active: string[];
  ignored: string[];
  deactivated: string[];
  renamed: Array<{ email: string; from: string; to: string }>;
  /**
   * Rooms this import would have deactivated but held back, still active (Graph's answer was empty
   * or less than half of the synced rooms): they wait for the admin's review (RoomRemovalReview).
   */
  pendingRemoval?: string[];
}

/**
 * R1 guard: an import that saw no rooms, or fewer than half of the synced ones, deactivated
 * nothing; the admin confirms (the rooms are then deactivated) or dismisses (they stay).
 */
export interface RoomRemovalReview {
  id: number;
  detectedAt: string;
  source: 'places' | 'users';
  /** Rooms Graph returned to that import. */
  seen: number;
  /** Rooms synchronised before it. */
  activeBefore: number;
  /** The rooms it would deactivate (lower-case e-mails). */
  rooms: string[];
  status: 'pending' | 'confirmed' | 'dismissed' | 'superseded';
  decidedAt: string | null;
  /** The warning, written for an admin (also in the journal as `rooms_import_suspicious`). */
  message: string;
}

export interface PendingRoomRemoval {
  /** The review waiting for a decision; null when there is none. */
  review: RoomRemovalReview | null;
}

export interface RoomRemovalDecision {
  review: RoomRemovalReview;
  /** Rooms deactivated by a confirmation (empty for a dismissal). */
  deactivated: string[];
}

/** E1: what subscription maintenance did, by room e-mail. */
export interface SubscriptionSummary {
  created: string[];
  renewed: string[];
  recreated: string[];
  removed: string[];
  failed: Array<{ roomEmail: string; message: string }>;
}

/** A synchronisation step: each part is there when it ran; `error` when one failed. */
export interface SyncReport {
  rooms?: RoomImportResult;
  subscriptions?: SubscriptionSummary;
  error?: { code: string; message: string };
}

/** The answer of a save: the settings as saved, and the synchronisation it started. */
export type SavedSettings = SettingsView & {
  sync: SyncReport;
  /**
   * B1: the backfill queued after the save, a re-sync run followed like any other
   * (`GET /api/admin/reconcile/{id}`); null when none was queued (the integration is disabled).
   */
  backfill?: ReconcileRunStarted | null;
};

export interface Subscription {
  id: string;
  roomEmail: string;
  resource: string;
  expiresAt: string;
  confirmedAt: string;
  createdAt: string;
}

export interface SubscriptionList {
  subscriptions: Subscription[];
}

/** A postal address as Graph gives a room's. */
export interface PostalAddress {
  street?: string | null;
  city?: string | null;
  state?: string | null;
  postalCode?: string | null;
  countryOrRegion?: string | null;
}

/** What the room import keeps of a room, beside its e-mail and name. */
export interface RoomDetails {
  /** One line: street, postal code city, country. */
  address: string | null;
  addressParts: PostalAddress | null;
  building: string | null;
  capacity: number | null;
  floor: string | null;
  tags: string[];
  source: 'places' | 'users';
}

/** A room mailbox as the last import saw it. */
export interface Room extends RoomDetails {
  email: string;
  name: string;
  active: boolean;
}

export interface RoomList {
  rooms: Room[];
}

/** A stretch of time whose changes of a room may have been missed, until reconcile replays it. */
export interface Gap {
  id: number;
  roomEmail: string;
  from: string;
  to: string;
  reason: string;
  createdAt: string;
  resolvedAt: string | null;
}

export interface GapList {
  gaps: Gap[];
}

/** One room, or every active synced room when absent. */
export interface ReconcileRequest {
  roomEmail?: string;
}

/** One room's reconcile pass. */
export interface RoomPass {
  roomEmail: string;
  /** Items handed to the inbound queue (events and removals). */
  changes: number;
  full: boolean;
  /** The stored delta link had expired (410 / syncStateNotFound). */
  expired: boolean;
  gapsResolved: number;
}

export interface ReconcileAnswer {
  rooms: RoomPass[];
}

/*
 * Operations (issue 15), admin token:
 * - `GET /api/admin/status` → AdminStatus
 * - `POST /api/admin/reconcile` ReconcileRequest → 202 ReconcileRunStarted; `GET /api/admin/reconcile/{id}`
 *   → ReconcileRun (404 NOT_FOUND for an unknown id; 404 for a room that is not synced; 503/409 as
 *   `POST /api/admin/integration/reconcile` when the integration is not configured / disabled)
 * - `POST /api/admin/reconcile/{id}/fix` DriftFixRequest → 202 DriftFixQueued (a drift item queued again)
 * - `GET /api/admin/dead-letters` → DeadLetterList; `POST /api/admin/dead-letters/{id}/retry` →
 *   DeadLetterRetried (404 NOT_FOUND for an unknown or already retried dead letter)
 * - `POST /api/admin/integration/test` ConnectionTestRequest → ConnectionTest (nothing is saved)
 */

/** A room's subscription: 'expiring' less than a day before its expiry (it is renewed well before). */
export type SubscriptionState = 'active' | 'expiring' | 'expired' | 'missing';

export interface RoomStatus {
  email: string;
  name: string;
  active: boolean;
  /** id and expiresAt are null when the room has no subscription ('missing'). */
  subscription: { id: string | null; state: SubscriptionState; expiresAt: string | null };
  /** When a change notification of the room last reached the service (within ~10 s); null: never. */
  lastNotificationAt: string | null;
  /** When a reconcile pass of the room last ran; null: never. */
  lastReconcileAt: string | null;
  /** `error` journal entries of the room in the last 24 hours. */
  errors: number;
}

export interface QueueCounts {
  /** Jobs waiting (created or retry). */
  depth: number;
  /** Jobs that failed their last try and wait for an operator (`<queue>-dead`). */
  deadLetters: number;
}

export interface QueueStatus extends QueueCounts {
  byQueue: Record<string, QueueCounts>;
}

/** Per change over the last hour; null figures while count is 0. */
export interface LagFigures {
  p50Ms: number | null;
  p95Ms: number | null;
  count: number;
}

/**
 * Where the secret's expiry comes from: 'graph' — read from the app registration (the app holds
 * Application.Read.All or higher); 'settings' — the date the admin entered; null — not known.
 */
export type CredentialSource = 'graph' | 'settings' | null;

export interface CredentialsStatus {
  /**
   * The client secret's expiry: read from Graph when the app may (source 'graph'), else as the admin
   * entered it (SettingsInput.secretExpiresAt); null: not known (or, from Graph, never expires).
   */
  secretExpiresAt: string | null;
  /** Set from 30 days before the expiry (and once expired): what to do, for a person. */
  warning: string | null;
  source: CredentialSource;
}

export interface AdminStatus {
  rooms: RoomStatus[];
  queue: QueueStatus;
  lag: {
    /** Notification received → loan written. */
    inbound: LagFigures;
    /** Hector change committed → Outlook event written. */
    outbound: LagFigures;
  };
  credentials: CredentialsStatus;
  checkedAt: string;
  /** The newest re-sync run (an admin's, or the backfill after a save); null: none yet. */
  latestReconcileRun?: ReconcileRun | null;
}

export type ReconcileRunState = 'queued' | 'running' | 'finished' | 'failed';

/**
 * A re-sync asked for by an admin, with its progress. 'finished' once every room was passed (the
 * rooms that failed are in `errors`); 'failed' when no room could be (the integration is off, or
 * every room failed).
 */
export interface ReconcileRun {
  id: string;
  state: ReconcileRunState;
  roomsDone: number;
  roomsTotal: number;
  /** Room-copy changes handed to the inbound queue so far. */
  itemsQueued: number;
  startedAt: string | null;
  finishedAt: string | null;
  errors: Array<{ roomEmail: string | null; message: string }>;
  /** Why it runs: an admin's re-sync, or the backfill after the settings were saved (B1). */
  reason?: ReconcileRunReason;
  /**
   * Once the run is finished: per room passed, what still differs between its calendar and the
   * loans once the queued changes were applied. Absent before.
   */
  drift?: RoomDrift[];
}

export type ReconcileRunReason = 'on demand' | 'activation';

/** A meeting in the room's calendar that has no live loan with this room. */
export interface DriftMeeting {
  iCalUId: string | null;
  /** The room copy's event id: what `POST /api/admin/reconcile/{id}/fix` names (kind 'meeting'). */
  eventId: string;
  subject?: string;
  /** ISO 8601 instant. */
  start?: string;
  /** The journal's latest decision about the meeting, for a person. */
  reason: string;
}

/** A live loan of the room with no meeting in the room's calendar. */
export interface DriftLoan {
  loanId: string;
  number: number;
  reason: string;
}

export interface RoomDrift {
  roomEmail: string;
  meetingsWithoutLoan: DriftMeeting[];
  loansWithoutMeeting: DriftLoan[];
}

/**
 * `POST /api/admin/reconcile/{id}/fix` → 202 DriftFixQueued: a meeting of the run's drift queued
 * again for inbound (by its eventId), or a loan for outbound (by its loanId). 404 NOT_FOUND when
 * the run's drift does not name it.
 */
export interface DriftFixRequest {
  kind: 'meeting' | 'loan';
  id: string;
}

export interface DriftFixQueued {
  kind: 'meeting' | 'loan';
  id: string;
  /** The queue the job went to. */
  queue: string;
}

export interface ReconcileRunStarted {
  id: string;
}

/** A job that failed its last try. */
export interface DeadLetter {
  id: string;
  /** The queue the job came from (not its `-dead` queue). */
  queue: string;
  /** The job's data, as it was queued. */
  job: Record<string, unknown>;
  lastError: string | null;
  /** Tries made before it was dead-lettered. */
  attempts: number;
  /** When it was dead-lettered. */
  at: string;
}

export interface DeadLetterList {
  deadLetters: DeadLetter[];
}

export interface DeadLetterRetried {
  /** The new job, queued again on `queue`. */
  id: string;
  queue: string;
}

/**
 * What to test: empty to test the saved settings; otherwise the settings an admin is about to
 * save (the secret left out = the saved one), tested without saving them.
 */
export type ConnectionTestRequest = Partial<SettingsInput>;

/** An S2 permission by name. */
export interface PermissionCheck {
  permission: string;
  granted: boolean;
  /** What goes wrong without it; null when granted. */
  breaks: string | null;
}

/** The connection test without saving: the report a save would keep, and its findings by name. */
export interface ConnectionTest extends ConnectionReport {
  permissions: PermissionCheck[];
  /** The default user's mailbox, and whether the app's access policy lets the app reach it. */
  defaultUser: { email: string; reachable: boolean } | null;
  /** A token was obtained from Entra ID (a refused one is a 400 with Entra ID's reason). */
  token: { acquired: true };
  saved: false;
}
