import type * as MSGraph from '@microsoft/microsoft-graph-types';
import type { JournalEntry } from '../../store/journal';
import type { EventFacts, JournalFacts } from './loanView';

/** The caller's copy of an event (a single, a master or one occurrence), as the reasons need it. */
export function eventFacts(event: MSGraph.Event): EventFacts {
  return {
    type: event.type ?? 'singleInstance',
    isCancelled: event.isCancelled === true,
    isOrganizer: event.isOrganizer === true,
    attendees: (event.attendees ?? [])
      .filter((a) => a.emailAddress?.address)
      .map((a) => ({
        email: a.emailAddress!.address!.toLowerCase(),
        response: a.status?.response ?? 'none',
      })),
  };
}

/** A journal entry, as the reasons need it. */
export function journalFacts(e: JournalEntry): JournalFacts {
  return {
    id: e.id,
    kind: e.kind,
    message: e.message,
    reasons: Array.isArray(e.details?.reasons) ? (e.details.reasons as unknown[]).map(String) : [],
    ...(typeof e.details?.scope === 'string' ? { scope: e.details.scope } : {}),
  };
}
