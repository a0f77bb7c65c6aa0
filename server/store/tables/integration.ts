import type { ColumnType, Generated } from 'kysely';
import type { RoomDetails } from '../../../contract/admin';
import type { Timestamp } from './columns';

type Json<T> = ColumnType<T, string | T, string | T>;

export interface IntegrationSettingsTable {
  id: number;
  primary_domain: string;
  tenant_id: string;
  authority_metadata: Json<Record<string, unknown>>;
  client_id: string;
  client_secret_encrypted: string;
  default_store_id: Json<string | number | null> | null;
  default_user_email: string | null;
  ignored_tags: string;
  enabled: boolean;
  connection: Json<unknown> | null;
  updated_at: Timestamp;
  /** Migration 012: the client secret's expiry as the admin entered it. */
  secret_expires_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface IntegrationRoomsTable {
  email: string;
  name: string;
  user_id: string | null;
  active: boolean;
  /** What the last import saw of the room (server/sync/rooms.ts). */
  details: Json<RoomDetails>;
  updated_at: Timestamp;
}

export interface GraphSubscriptionsTable {
  id: string;
  room_email: string;
  resource: string;
  client_state_hash: string;
  expires_at: Timestamp;
  confirmed_at: Timestamp;
  created_at: Timestamp;
  /**
   * Migration 010: 'immutable' when created with `Prefer: IdType="ImmutableId"` (its notifications
   * name items by immutable id); null for rows of earlier versions (regular ids), replaced once.
   */
  id_type: ColumnType<'immutable' | null, 'immutable' | null | undefined, 'immutable' | null>;
  /**
   * Migration 016: the certificate Graph encrypts this subscription's resource data with (rich
   * notifications, issue 18); null for a plain subscription.
   */
  certificate_id: ColumnType<string | null, string | null | undefined, string | null>;
}

/** Migration 016: our encryption key pairs for rich notifications (the private key sealed). */
export interface NotificationCertificatesTable {
  id: string;
  /** The self-signed certificate, base64 DER (what `encryptionCertificate` carries). */
  certificate: string;
  /** PKCS#8 PEM of the private key, sealed by SecretBox. */
  private_key: string;
  thumbprint: string;
  not_after: Timestamp;
  created_at: Timestamp;
  /** When a newer certificate took over; the key stays until no subscription uses it. */
  superseded_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface SyncGapsTable {
  id: Generated<number>;
  room_email: string;
  from_at: Timestamp;
  to_at: Timestamp;
  reason: string;
  created_at: Generated<Date>;
  resolved_at: Timestamp | null;
}

export interface SyncJournalTable {
  id: Generated<string>;
  at: Timestamp;
  kind: string;
  message: string;
  ical_uid: string | null;
  event_id: string | null;
  room_email: string | null;
  loan_id: string | null;
  details: Json<unknown> | null;
  /** A message code of server/sync/journalText (null: entries written before codes, 013). */
  code: string | null;
  params: Json<unknown> | null;
}

export interface IntegrationTables {
  integration_settings: IntegrationSettingsTable;
  integration_rooms: IntegrationRoomsTable;
  graph_subscriptions: GraphSubscriptionsTable;
  notification_certificates: NotificationCertificatesTable;
  sync_gaps: SyncGapsTable;
  sync_journal: SyncJournalTable;
}
