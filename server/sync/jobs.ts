/** Shared types of the sync area (importable by the admin page and the add-in as types only). */

/** Queue of the room-copy changes that the intake accepted (policy 'short': pending duplicates coalesce). */
export const ROOM_EVENT_QUEUE = 'inbound-room-event';

/**
 * One change notification, durably queued by the intake. The inbound job re-reads the event's
 * current state, so duplicates and reordering are harmless (DESIGN "Notifications are triggers").
 * singletonKey = `${roomEmail}:${eventId}`.
 */
export interface RoomEventJob {
  subscriptionId: string;
  /** The room whose calendar changed (from our subscription record, lower case). */
  roomEmail: string;
  /** The room copy's event id as Graph sent it (resourceData.id). */
  eventId: string;
  changeType: 'created' | 'updated' | 'deleted' | string;
  /** When the intake accepted it (ISO 8601, UTC). */
  receivedAt: string;
  /** resourceData's @odata.etag: the copy's version this notification is about, when Graph says. */
  etag?: string;
  /** How many times the job was put back because the loan had Hector changes not in Outlook yet. */
  deferrals?: number;
  /**
   * A rich notification's copy, still encrypted, with the POST's validation tokens (issue 18):
   * the job validates and decrypts it, and skips its GET when the copy can decide. Then
   * singletonKey = `${roomEmail}:${eventId}:${etag}`, so that a newer change's copy is never
   * dropped as the duplicate of an older one still queued.
   */
  rich?: RichContent;
}

/** What the intake keeps of a rich notification (GDC resources/changenotificationencryptedcontent.md). */
export interface RichContent {
  content: {
    data: string;
    dataKey: string;
    dataSignature: string;
    encryptionCertificateId: string;
    encryptionCertificateThumbprint?: string;
  };
  validationTokens: string[];
}

/** Queue of lifecycle notifications (reauthorize, recreate, record the gap): never inside the request. */
export const LIFECYCLE_QUEUE = 'graph-lifecycle';

export interface LifecycleJob {
  subscriptionId: string;
  lifecycleEvent: 'reauthorizationRequired' | 'subscriptionRemoved' | 'missed' | string;
  receivedAt: string;
}

/** Scheduled: import rooms, then subscriptions (once per cluster). */
export const ROOM_IMPORT_QUEUE = 'integration-room-import';
/** Scheduled: renew / recreate subscriptions. */
export const SUBSCRIPTION_MAINTENANCE_QUEUE = 'integration-subscriptions';

/** Queue of Hector-side loan changes (policy 'short', singletonKey = loan id). */
export const OUTBOUND_LOAN_QUEUE = 'outbound-loan';
/** Queue of delayed looks at the rooms' answers (Exchange answers asynchronously). */
export const OUTBOUND_ROOM_CHECK_QUEUE = 'outbound-room-check';

export interface OutboundLoanJob {
  loanId: string;
}

export interface RoomCheckJob {
  loanId: string;
  attempt: number;
}
