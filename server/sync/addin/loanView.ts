import type { Loan } from '../../hector/port';
import { isLoanStatus, statusLabel } from '../../hector/statuses';
import type { LoanView, NoLoanReason } from '../../../contract/addin';
import { isHectorRefusal, localizeReason } from './reasonWording';

/**
 * Pure rules of the add-in's answer: the loan as the task pane shows it (A1) and, when there is
 * none, why (A2, B4) — from the caller's copy of the event, the synced rooms and the journal.
 */
export type Language = 'fr' | 'en';

/** French when the first language asked for is French (`?lang=` first, then Accept-Language). */
export function languageOf(lang: string | undefined, acceptLanguage: string | undefined): Language {
  const first = (lang || acceptLanguage || '').split(',')[0].trim().toLowerCase();
  return first.startsWith('fr') ? 'fr' : 'en';
}

export function toLoanView(loan: Loan, language: Language, loanUrl: string): LoanView {
  const label = (status: string): string => (isLoanStatus(status) ? statusLabel(status)[language] : status);
  return {
    id: loan.id,
    number: loan.number,
    status: loan.status,
    statusLabel: loan.statusLabel[language] ?? label(loan.status),
    start: loan.start,
    end: loan.end,
    requester: { email: loan.requester.email, name: loan.requester.name },
    // An item cancelled on its own (OU2) says so; the others share the loan's status.
    items: loan.items.map((item) => {
      const status = item.status === 'cancelled' ? 'cancelled' : loan.status;
      return { kind: item.kind, id: item.id, name: item.name, status, statusLabel: label(status) };
    }),
    url: loanUrl.split('{id}').join(encodeURIComponent(loan.id)),
    ...noticeOf(loan, language),
  };
}

/**
 * B5: a loan made from a meeting waits for approval only while a room's delegate has not answered
 * (the sync moves it to new on their accept). A loan made pending in Hector waits for Hector's people.
 */
function noticeOf(loan: Loan, language: Language): Pick<LoanView, 'notice'> {
  if (loan.status !== 'pending_approval' || loan.origin !== 'outlook') return {};
  const rooms = loan.items.filter((i) => i.kind === 'place' && i.status === 'active').length;
  return { notice: { code: 'awaiting_approval', message: text.awaitingApproval[language](rooms > 1) } };
}

/** The caller's copy of the event, as far as the reason needs it. */
export interface EventFacts {
  type: string;
  isCancelled: boolean;
  /**
   * false for an attendee's copy: only the organizer's copy knows the attendees' answers, every
   * other shows `none` (docs#5281, docs#4579), so their reasons come from the journal alone.
   */
  isOrganizer?: boolean;
  attendees: Array<{ email: string; response: string }>;
}

/** A journal entry of the meeting (newest first in the list given). */
export interface JournalFacts {
  kind: string;
  message: string;
  reasons: string[];
  /** The entry's id: ids grow with time, so they order entries of different lists. */
  id?: string;
  /** An `error`'s reach: 'room' when every meeting of its room fails alike (B6). */
  scope?: string;
}

const DECISIONS = new Set(['created', 'updated', 'cancelled', 'ignored', 'in_sync']);
const OUTCOMES = new Set([...DECISIONS, 'error']);
const order = (entry: JournalFacts | undefined): number => (entry?.id ? Number(entry.id) : -1);

/**
 * B6: the newest failure of the meeting that no success has followed — its own `error`, or one of
 * its rooms' room-wide ones (a permission the app lacks fails every meeting of the room before
 * any of them is even read, so such an entry names the room, not the meeting). A decision about
 * the meeting, or any success in that room, after the failure means it no longer holds.
 */
export function unresolvedFailure(meeting: JournalFacts[], rooms: JournalFacts[][]): JournalFacts | null {
  const own = meeting.find((e) => OUTCOMES.has(e.kind));
  const candidates = [
    ...(own?.kind === 'error' ? [own] : []),
    // Another meeting's own failure says nothing about this one: only successes and room-wide errors.
    ...rooms
      .map((entries) =>
        entries.find((e) => DECISIONS.has(e.kind) || (e.kind === 'error' && e.scope === 'room')),
      )
      .filter((e): e is JournalFacts => e?.kind === 'error'),
  ].filter((e) => own === undefined || own === e || order(e) > order(own));
  return candidates.sort((a, b) => order(b) - order(a))[0] ?? null;
}
const DECLINED = / a refusé l'invitation|declined/i;

const text = {
  awaitingApproval: {
    fr: (several: boolean) =>
      several
        ? 'En attente de l’approbation des salles : leurs délégués n’ont pas encore répondu.'
        : 'En attente de l’approbation de la salle : son délégué n’a pas encore répondu.',
    en: (several: boolean) =>
      several
        ? "Waiting for the rooms' approval: their delegates have not answered yet."
        : "Waiting for the room's approval: its delegate has not answered yet.",
  },
  declined: {
    fr: (rooms: string) => `${rooms} a refusé l'invitation.`,
    en: (rooms: string) => `${rooms} declined the invitation.`,
  },
  noSyncedRoom: {
    fr: "Aucun participant de cette réunion n'est une salle synchronisée avec Hector.",
    en: "None of the meeting's attendees is a room synced with Hector.",
  },
  syncing: {
    fr: "La synchronisation n'a pas encore traité cette réunion ; cela prend d'ordinaire quelques secondes.",
    en: 'The sync has not handled this meeting yet; this usually takes a few seconds.',
  },
  noDetail: {
    fr: "La synchronisation n'a pas créé de prêt pour cette réunion.",
    en: 'The sync did not create a loan for this meeting.',
  },
} as const;

/**
 * Why the meeting has no loan. Room answers come from the caller's copy when it is the
 * organizer's (a room that declined keeps no copy, so no notification — and no journal entry —
 * ever comes from it); what the sync decided comes from the newest journal decision.
 */
export function reasonFor(
  event: EventFacts,
  syncedRooms: Map<string, string>,
  journal: JournalFacts[],
  language: Language,
  /** Each synced room's newest journal entries (any meeting), by lower-case e-mail (B6). */
  roomJournals: ReadonlyMap<string, JournalFacts[]> = new Map(),
): NoLoanReason {
  const rooms = event.attendees.filter((a) => syncedRooms.has(a.email.toLowerCase()));
  if (rooms.length === 0) return { code: 'no_synced_room', message: text.noSyncedRoom[language] };

  // Answers are the organizer's copy's alone; an attendee's copy says `none` for every room.
  const declined = event.isOrganizer === false ? [] : rooms.filter((a) => a.response === 'declined');
  const failure = unresolvedFailure(
    journal,
    rooms.map((a) => roomJournals.get(a.email.toLowerCase()) ?? []),
  );
  // Rooms that all declined keep no copy: a failure in their calendars is not this meeting's.
  if (failure && declined.length < rooms.length) return { code: 'sync_failed', message: failure.message };

  const decision = journal.find((e) => DECISIONS.has(e.kind));
  const reasons = decision?.reasons.filter(Boolean) ?? [];
  const detail =
    (decision && (reasons.map((r) => localizeReason(r, language)).join('; ') || decision.message)) ||
    text.noDetail[language];
  // V4 taken, or K2 (schedule, booking window, duration): Hector itself cannot lend the room then.
  if (reasons.some(isHectorRefusal)) return { code: 'room_unavailable', message: detail };

  if (declined.length > 0 && declined.length === rooms.length) {
    const names = declined.map((a) => syncedRooms.get(a.email.toLowerCase())!).join(', ');
    return { code: 'room_declined', message: text.declined[language](names) };
  }
  if (decision && decision.reasons.some((r) => DECLINED.test(r)) && decision.kind === 'ignored') {
    return { code: 'room_declined', message: detail };
  }

  if (!decision) return { code: 'syncing', message: text.syncing[language] };
  return { code: 'other', message: detail };
}
