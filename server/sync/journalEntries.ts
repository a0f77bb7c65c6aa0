import type { JournalLanguage, JournalPage } from '../../contract/journal';
import { badRequest } from '../errors';
import type {
  Journal,
  JournalEntry,
  JournalEntryInput,
  JournalPosition,
  JournalQuery as StoreQuery,
} from '../store/journal';
import type { Links } from '../store/links';
import { renderJournalMessage } from './journalText/render';

export interface JournalQuery extends Omit<StoreQuery, 'meeting' | 'after'> {
  /** Any copy's id of a meeting: the whole meeting's entries are answered (B4). */
  eventId?: string;
  /** The previous page's `nextCursor`. */
  cursor?: string;
}

type JournalDeps = { journal: Pick<Journal, 'page'>; links: Pick<Links, 'findLinkByEventId'> };

/**
 * B4: the journal for the admin, newest first, a page at a time, in the admin's language. Every
 * copy of a meeting has its own id: an id we know leads to the whole meeting's entries, and so
 * does the iCalUId itself.
 */
export async function findJournalPage(
  query: JournalQuery,
  language: JournalLanguage,
  deps: JournalDeps,
): Promise<JournalPage> {
  const { eventId, cursor, ...base } = query;
  const after = cursor === undefined ? undefined : decodeCursor(cursor);
  let meeting: StoreQuery['meeting'];
  if (eventId) {
    const link = await deps.links.findLinkByEventId(eventId);
    meeting = { eventId, iCalUId: link?.iCalUId ?? eventId };
  }
  const page = await deps.journal.page({ ...base, meeting, after });
  return {
    items: page.items.map((entry) => ({ ...entry, message: renderJournalMessage(entry, language) })),
    nextCursor: page.next ? encodeCursor(page.next) : null,
  };
}

/** The entries of one page, in English (readers of before). */
export async function findJournalEntries(query: JournalQuery, deps: JournalDeps): Promise<JournalEntry[]> {
  return (await findJournalPage(query, 'en', deps)).items;
}

/** Opaque to clients: the position of a page's last entry. */
export function encodeCursor(position: JournalPosition): string {
  return Buffer.from(`${position.at.toISOString()}|${position.id}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): JournalPosition {
  const [at, id, ...rest] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const when = new Date(at ?? '');
  if (rest.length > 0 || !/^\d{1,19}$/.test(id ?? '') || Number.isNaN(when.getTime())) {
    throw badRequest('Invalid journal cursor: pass the nextCursor of the previous page as it is.');
  }
  return { at: when, id: id! };
}

/**
 * Issue 15: a periodic pass (reconcile) reads every event of every room again; an event it finds
 * as it was writes no line of its own — the pass writes one summary line. "As it was": in sync, or
 * the very decision last recorded for that room's copy (the same "not synced" reason). Decisions
 * that change something, and everything that is not a reconcile re-read, are recorded as given.
 */
export function withQuietPasses(journal: Journal): Journal {
  const unchanged = async (entry: JournalEntryInput): Promise<boolean> => {
    if (entry.details?.changeType !== 'reconciled') return false;
    if (entry.kind === 'in_sync') return true;
    if (entry.kind !== 'ignored' || !entry.iCalUId || !entry.roomEmail) return false;
    const [last] = await journal.list({ iCalUId: entry.iCalUId, roomEmail: entry.roomEmail, limit: 1 });
    return last?.kind === entry.kind && last.message === entry.message;
  };
  return {
    ...journal,
    async record(entry) {
      if (await unchanged(entry)) return;
      await journal.record(entry);
    },
  };
}

export const JOURNAL_RETENTION_QUEUE = 'journal-retention';
const DAY_MS = 24 * 60 * 60 * 1000;

/** Issue 15: entries older than the retention (JOURNAL_RETENTION_DAYS) go; returns how many. */
export async function pruneJournal(deps: {
  journal: Pick<Journal, 'prune'>;
  now: () => Date;
  retentionDays: number;
}): Promise<{ before: Date; pruned: number }> {
  const before = new Date(deps.now().getTime() - deps.retentionDays * DAY_MS);
  return { before, pruned: await deps.journal.prune(before) };
}
