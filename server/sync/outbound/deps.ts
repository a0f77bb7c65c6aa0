import type { GraphGateway } from '../../graph/gateway';
import type { HectorPort, Loan } from '../../hector/port';
import type { Logger } from '../../logger';
import type { Journal } from '../../store/journal';
import type { Links } from '../../store/links';
import type { OutboundState } from '../../store/outboundState';
import type { PendingFields } from '../../store/tables/outbound';
import type { RoomCheckJob } from '../jobs';
import type { MeetingLock } from '../meetingLock';
import type { OrganizerDirectory } from '../organizers';
import type { IntegrationSettingsFacts } from '../rules/requester';
import type { SyncedRoom } from '../rules/syncedRoom';

/** Everything the outbound jobs need, built by server/compose/outbound.ts (tests may hand in fakes). */
export interface OutboundDeps {
  graph(): Promise<GraphGateway | null>;
  hector: Pick<HectorPort, 'getLoan' | 'cancelItem' | 'cancelLoan' | 'listPlaces'>;
  links: Links;
  state: OutboundState;
  journal: Journal;
  settings(): Promise<(IntegrationSettingsFacts & { enabled: boolean }) | null>;
  organizers: OrganizerDirectory;
  /** Serializes the work on one loan (in this instance and, on PostgreSQL, across instances). */
  lock: MeetingLock;
  /** HECTOR_LOAN_URL: the base of the "open in Hector" link ({id} replaced). */
  loanUrl: string;
  /** Asks for another look at the rooms' answers a little later. */
  /** Queues the n-th look at the rooms' answers (Config.timings.roomAnswerCheckLadderMs); false past the last. */
  scheduleRoomCheck(job: RoomCheckJob): Promise<boolean>;
  logger: Logger;
}

/** One loan's outbound work: the loan as read under its lock, and what the flows read beside it. */
export interface OutboundContext {
  loan: Loan;
  graph: GraphGateway;
  settings: IntegrationSettingsFacts;
  synced: SyncedRoom[];
  /** The event fields Hector changed since the last push (null: not known, all of them). */
  fields: PendingFields;
  deps: OutboundDeps;
}

/** Where an event is: the organizer's mailbox and the event's id in it. */
export interface OrganizerEvent {
  organizer: string;
  eventId: string;
}
