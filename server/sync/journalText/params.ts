/**
 * The parameters of the sync's decisions, failures and room imports (issue 15). Flat values only
 * (JournalParams): a list is stored joined as the English text joins it ("; " for reasons).
 */

/** `loan` is the loan's number, null when there is none. `reasons` joined by "; ", '' for none. */
type Inbound = { loan: number | null; reasons: string };

export interface DecisionParams {
  'inbound.created': Inbound & { room: string };
  /** `changes`: what changed, joined by "; ". */
  'inbound.updated': Inbound & { changes: string };
  'inbound.cancelled': Inbound;
  'inbound.in_sync': Inbound;
  /** `kept`: a loan is linked and stays as it is. */
  'inbound.ignored': Inbound & { kept: boolean };
  /** B3: one pass over a room's series; `why` the series left the room, when known. */
  'series.pass': {
    room: string;
    created: number;
    updated: number;
    cancelled: number;
    ignored: number;
    inSync: number;
    kept: number;
    gone: boolean;
    why: string | null;
  };
  'series.adopted': { loan: number | null };
  /**
   * B3 V3: a room declined a meeting before any copy of it reached us (Exchange keeps none), seen
   * on the organizer's copy. `conflictStart`/`conflictSubject`: the room's booking it collides with
   * (ISO, as read; a room's copy is titled with its organizer by default); `pastWindow`: no collision found and the series reaches past 180 days.
   */
  'inbound.declined_unseen': {
    room: string;
    series: boolean;
    conflictStart: string | null;
    conflictSubject: string | null;
    /** The colliding booking's loan number, when it is Hector's. */
    conflictLoan: number | null;
    pastWindow: boolean;
  };
  'outbound.created': { loan: number; organizer: string; note: string | null };
  /** `changed`: the event's fields, joined by ", ". */
  'outbound.updated': { loan: number; organizer: string; changed: string };
  'outbound.moved': { loan: number; from: string; organizer: string; note: string | null };
  'outbound.deleted': { loan: number; organizer: string; reason: string };
  /** `rooms`: their names, joined by ", ". */
  'outbound.declined': { loan: number; rooms: string; reason: string };
  'outbound.in_sync': { loan: number };
  'outbound.ignored': { loan: number; reason: string };
  'outbound.meeting_gone': { loan: number; reason: string };
}

/** B6: what a failed job was about, and the cause's own facts (null when not the cause's). */
export type FailureParams = {
  mailbox: string | null;
  isRoom: boolean;
  loan: number | null;
  flow: 'inbound' | 'outbound' | 'other';
  purpose: string | null;
  access: 'read' | 'write' | null;
  permission: string | null;
  detail: string | null;
  by: 'graph' | 'hector' | null;
  attempts: number | null;
};

export interface OperationParams {
  'failure.permission_missing': FailureParams;
  'failure.outside_access_policy': FailureParams;
  'failure.mailbox_not_found': FailureParams;
  'failure.settings_refused': FailureParams;
  'failure.request_refused': FailureParams;
  'failure.transient': FailureParams;
  'rooms.imported': {
    source: 'places' | 'users';
    active: number;
    ignored: number;
    deactivated: number;
    renamed: number;
    held: number;
  };
  /** R1: an import held back. */
  'rooms.held': { source: 'places' | 'users'; seen: number; activeBefore: number; held: number };
}

export type Texts<P> = { [C in keyof P]: (params: P[C]) => string };
