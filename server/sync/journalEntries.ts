import type { Journal, JournalEntry, JournalQuery as StoreQuery } from '../store/journal';
import type { Links } from '../store/links';

export interface JournalQuery extends StoreQuery {
  /** Any copy's id of a meeting: the whole meeting's entries are answered (B4). */
  eventId?: string;
}

/**
 * B4: the journal for the admin. Every copy of a meeting has its own id: an id we know leads to
 * the whole meeting's entries, and so does the iCalUId itself. Newest first.
 */
export async function findJournalEntries(
  query: JournalQuery,
  deps: { journal: Pick<Journal, 'list'>; links: Pick<Links, 'findLinkByEventId'> },
): Promise<JournalEntry[]> {
  const { eventId, ...base } = query;
  if (!eventId) return deps.journal.list(base);
  const link = await deps.links.findLinkByEventId(eventId);
  const lists = await Promise.all([
    deps.journal.list({ ...base, eventId }),
    deps.journal.list({ ...base, iCalUId: link?.iCalUId ?? eventId }),
  ]);
  const byId = new Map<string, JournalEntry>();
  for (const entry of lists.flat()) byId.set(entry.id, entry);
  return [...byId.values()]
    .sort((a, b) => b.at.localeCompare(a.at) || Number(b.id) - Number(a.id))
    .slice(0, base.limit ?? 100);
}
