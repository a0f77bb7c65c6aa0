import type { GraphGateway } from '../../graph/gateway';
import type { HectorAdmin, HectorPort } from '../../hector/port';
import type { Logger } from '../../logger';
import type { Journal } from '../../store/journal';
import type { Links } from '../../store/links';
import type { RoomEventJob } from '../jobs';
import type { KeyedChain } from '../keyedChain';
import type { MeetingLock } from '../meetingLock';
import type { OrganizerDirectory } from '../organizers';
import type { Decision } from '../rules/decide';
import type { IntegrationSettingsFacts } from '../rules/requester';
import type { RoomCopy } from '../rules/roomCopy';
import type { RichCopies } from '../richNotifications/richCopy';

/** Everything the inbound job needs, built by server/compose/inbound.ts (tests may hand in fakes). */
export interface InboundDeps {
  /** The gateway of the saved settings; null when the integration is not configured. */
  graph(): Promise<GraphGateway | null>;
  hector: Pick<
    HectorPort,
    'getLoan' | 'createLoan' | 'updateLoan' | 'cancelLoan' | 'checkAvailability' | 'listPlaces'
  > &
    Pick<HectorAdmin, 'getStore'>;
  links: Links;
  journal: Journal;
  settings(): Promise<(IntegrationSettingsFacts & { enabled: boolean }) | null>;
  organizers: OrganizerDirectory;
  lock: MeetingLock;
  /** Whether the loan has Hector-side changes that a copy read at `readAt` may not show yet. */
  hectorChanges: { unpushed(loanId: string, readAt: Date): Promise<boolean> };
  /**
   * One job at a time per room copy in this process: Graph delivers a change 2–4 times, and a
   * duplicate that waits for the first one's read can then skip its own GET.
   */
  copyGate: KeyedChain;
  /** The business clock: which occurrences are in the booking window, which are past (B3). */
  now(): Date;
  /**
   * Wall-clock time, the clock of the intake's `receivedAt`: compared with it to tell a late
   * duplicate (its change already read) from a new change.
   */
  wallClock(): Date;
  /** Delays before each re-read of a deferred copy (Config.timings.inboundDeferralLadderMs). */
  deferralLadderMs: readonly number[];
  logger: Logger;
  /** Opens the copies rich notifications carry (issue 18); absent: every change is read. */
  rich?: RichCopies;
}

export interface InboundOutcome {
  /** Null when the job was skipped (duplicate, superseded, integration off). */
  decision: Decision | null;
  /**
   * 'deferred': the copy may predate a Hector change that outbound sync has not pushed yet; the
   * caller reads it again a little later (InboundDeps.deferralLadderMs) instead of moving the loan back.
   */
  skipped?: 'duplicate' | 'superseded' | 'disabled' | 'deferred';
  loanId: string | null;
  iCalUId: string | null;
}

/** The room copy one job read, and what it was read with: the input of every later step. */
export interface CopyRead {
  job: RoomEventJob;
  /** The room's e-mail, lower case. */
  room: string;
  /** Null when Graph answered 404 (or a copy already seen gone). */
  copy: RoomCopy | null;
  /**
   * The copy's id as our links hold it: the immutable id the read returned (`Prefer:
   * IdType="ImmutableId"`), whichever id the notification named it by (a subscription made
   * without the header names it by its regular id); the job's id when there was nothing to read.
   */
  copyId: string;
  iCalUId: string;
  readAt: Date;
  /** @odata.etag of the copy as read (absent on a 404). */
  etag?: string;
  settings: IntegrationSettingsFacts;
  graph: GraphGateway;
  /** The copy is a series' master (B3): it is decided occurrence by occurrence (syncSeries). */
  isSeries?: boolean;
  /** The copy is one occurrence (or exception) of a series, decided as a meeting of its own. */
  series?: SeriesContext;
}

/** Where an occurrence belongs: its master copy in this room, the series' iCalUId, its slot. */
export interface SeriesContext {
  masterId: string;
  masterICalUId: string;
  occurrenceStart: Date | null;
  /** The series pass this decision is part of: its journal entries group under the pass's line. */
  passId: string;
  /** The rooms (lower case) the series itself invites: an exception may invite others. */
  seriesRooms?: string[];
  /** The organizer's own copy of an occurrence, read once per pass when needed (organizerOccurrences.ts). */
  organizerOccurrence?: (iCalUId: string) => Promise<RoomCopy | null | undefined>;
  /** A periodic or deferred pass deciding every occurrence again (nothing new to journal when in sync). */
  recheck?: boolean;
}

/** The job named one occurrence: its series is read as a whole, through the master's copy. */
export interface SeriesRedirect {
  seriesMasterId: string;
}
