/**
 * The emulator's in-memory model. Graph shapes come from @microsoft/microsoft-graph-types; the
 * fields prefixed with "x" are the emulator's bookkeeping and never leave it.
 */
import type * as MSGraph from '@microsoft/microsoft-graph-types';
import type { RichOptions } from './graph/richSubscriptions';

export type UserPurpose = 'user' | 'room';

export interface TenantRecord {
  id: string;
  primaryDomain: string;
  displayName: string;
}

export interface AppRegistration {
  clientId: string;
  clientSecret: string;
  displayName: string;
  /** Application permissions (app roles) granted by an admin. */
  permissions: string[];
  /**
   * Its client secrets as Entra ID keeps them (Certificates & secrets). A seed may leave it out:
   * EmulatorState.load then gives it one for clientSecret (state.ts SECRET_LIFETIME_DAYS).
   */
  passwordCredentials?: PasswordCredentialRecord[];
}

/**
 * A client secret of an app registration. Graph lists all but `secretText`: of it, only `hint`,
 * its first 3 characters (GDC api-reference/v1.0/resources/passwordcredential.md).
 */
export interface PasswordCredentialRecord {
  keyId: string;
  displayName: string | null;
  startDateTime: string;
  /** Null: a secret that never expires (no longer offered by the portal, still possible in Graph). */
  endDateTime: string | null;
  secretText: string;
}

/**
 * The add-in's API: user tokens are issued for it. Its manifest's `api.requestedAccessTokenVersion`
 * decides their format: null or 1 → v1.0 (aud = the Application ID URI, iss sts.windows.net), 2 →
 * v2.0 (aud = the client id, iss …/v2.0) — entra-docs access-tokens.md "Token formats".
 */
export interface ApiApp {
  clientId: string;
  applicationIdUri: string;
  scope: string;
  /** 1 (Entra's default when the manifest leaves it null) or 2. */
  accessTokenVersion: 1 | 2;
  /** Its client secret, for the on-behalf-of grant (the API is a confidential client). */
  clientSecret: string;
  /** Microsoft Graph delegated permissions an admin consented to for it (OBO may ask for these). */
  delegatedPermissions: string[];
}

export interface UserRecord {
  user: MSGraph.User;
  purpose: UserPurpose;
}

/** Exchange calendar processing settings of a room mailbox (Set-CalendarProcessing). */
export interface RoomProcessing {
  bookingWindowInDays: number;
  maximumDurationInMinutes: number;
  allowConflicts: boolean;
  /**
   * ProcessExternalMeetingMessages (default false): whether the room processes meeting requests
   * whose organizer is outside the organisation. When false they are left unprocessed.
   */
  processExternalMeetingMessages: boolean;
  /**
   * Resource delegates (AllBookInPolicy=false, ResourceDelegates set): an in-policy request waits
   * on the room's calendar as tentative until a delegate accepts or declines it
   * (office-docs-powershell#4059). Absent = false, AutoAccept answers on its own.
   */
  requiresApproval?: boolean;
  /** AllowRecurringMeetings (default true): false declines every series. Absent = true. */
  allowRecurringMeetings?: boolean;
}

export interface RoomRecord {
  /** Places API id: not immutable in Graph (GRAPH-FACTS "Rooms"). */
  place: MSGraph.Room;
  /** The room's mailbox user id. */
  userId: string;
  processing: RoomProcessing;
  /** Room list (by e-mail) this room belongs to. */
  roomListEmail: string;
}

export interface StoredEvent {
  /** `event.id` is the regular (REST) id; the keys of Mailbox.events are those. */
  event: MSGraph.Event;
  /** The item's immutable id, returned instead of event.id when a request says `Prefer: IdType="ImmutableId"`. */
  immutableId: string;
  /** Mailbox owner (user id). */
  mailboxId: string;
  /** Sequence number of the last change (delta and etags). */
  seq: number;
  /** For series masters: overrides per original start (ISO, UTC) and cancelled occurrences. */
  exceptions: Map<string, Partial<MSGraph.Event>>;
  cancelledOccurrences: Set<string>;
  /**
   * On an attendee's or a room's copy: occurrences (original start, ISO UTC) this mailbox declined
   * on its own — they stay off its calendar when the organizer's later updates are mirrored.
   */
  declinedOccurrences?: Set<string>;
  /** Whether this copy is the organizer's (rooms and attendees get their own copies). */
  isOrganizerCopy: boolean;
  /**
   * On the organizer's series master: occurrences (original start, ISO UTC) whose attendees the
   * organizer set apart from the series' — their exception's `attendees` is the list they go to
   * (elsewhere an exception's `attendees` only records answers to that occurrence).
   */
  attendeeExceptions?: Set<string>;
  /**
   * On the organizer's series master: `{mailbox id}|{original start}` of orphan instances their
   * mailbox declined on its own (a room's delegate, the service) — not offered to it again until
   * the pattern changes, as declinedOccurrences for a series' attendee.
   */
  declinedOrphans?: Set<string>;
  /**
   * On an attendee's (or a room's) copy: an orphan instance — one occurrence of a series this
   * mailbox was invited to alone (MS-OXOCAL; MS-ASEMAIL InstanceType 4), held without the series.
   */
  orphanOf?: { masterICalUId: string; originalStart: string };
}

export interface Tombstone {
  id: string;
  immutableId: string;
  seq: number;
}

export interface Mailbox {
  userId: string;
  events: Map<string, StoredEvent>;
  tombstones: Tombstone[];
  /** Immutable id → regular id of each live item, so either id resolves. */
  immutableIds: Map<string, string>;
  /** transactionId → event id, for de-duplicated creates. */
  transactions: Map<string, string>;
}

export interface SubscriptionRecord {
  subscription: MSGraph.Subscription;
  /** App that created it (notifications only go where that app could read). */
  appId: string;
  /** Mailbox user id resolved from the resource. */
  mailboxId: string;
  changeTypes: Set<string>;
  /**
   * Whether `POST /subscriptions` carried `Prefer: IdType="ImmutableId"`: only then do its
   * notifications name items by immutable id (GDC concepts/outlook-immutable-id.md, "Immutable ID
   * with change notifications").
   */
  immutableIds: boolean;
  /** `includeResourceData: true`: its certificate and `$select` (notifications carry the copy). */
  rich?: RichOptions;
}

/** A change to one event in one mailbox, as a change notification reports it. */
export interface EventChange {
  mailboxId: string;
  eventId: string;
  immutableId: string;
  changeType: 'created' | 'updated' | 'deleted';
  etag: string;
}
