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
export type SavedSettings = SettingsView & { sync: SyncReport };

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
