import type { NoLoanReason, SeriesOccurrenceView } from '../../../contract/addin';
import type { Language } from './loanView';

/**
 * Pure rules of the add-in's answer on a series (B3): the master holds no loan, its occurrences
 * do — one each. What the master says, from its own facts and its occurrences'.
 */

/** Reasons about the whole series that every occurrence shares (no room, a failure, declined whole). */
const SERIES_WIDE = new Set(['no_synced_room', 'sync_failed', 'room_declined']);

/**
 * An occurrence nothing has been decided about yet, in a series whose reason holds for all of
 * them (e.g. the room declined the series whole: no occurrence is ever journaled), has that reason.
 */
export function occurrenceReason(own: NoLoanReason, master: NoLoanReason): NoLoanReason {
  return own.code === 'syncing' && SERIES_WIDE.has(master.code) ? master : own;
}

/**
 * The master's reason: a reason about the whole series first; then none upcoming in the window;
 * nothing decided about any occurrence yet → syncing (the pane refreshes); else `series`, with
 * how many of the upcoming occurrences have their loan.
 */
export function seriesReason(
  master: NoLoanReason,
  occurrences: SeriesOccurrenceView[],
  windowDays: number,
  language: Language,
): NoLoanReason {
  if (SERIES_WIDE.has(master.code)) return master;
  if (occurrences.length === 0) return { code: 'other', message: text.noneUpcoming[language](windowDays) };
  if (occurrences.every((o) => !o.loan && o.reason?.code === 'syncing')) {
    return { code: 'syncing', message: text.syncing[language] };
  }
  const withLoan = occurrences.filter((o) => o.loan).length;
  return { code: 'series', message: text.series[language](withLoan, occurrences.length) };
}

const text = {
  noneUpcoming: {
    fr: (days: number) =>
      `Aucune occurrence de cette série n'a lieu d'ici la fin de la fenêtre de réservation (${days} jours).`,
    en: (days: number) =>
      `No occurrence of this series takes place between now and the end of the booking window (${days} days).`,
  },
  syncing: {
    fr: "La synchronisation n'a pas encore traité cette série ; cela prend d'ordinaire quelques secondes.",
    en: 'The sync has not handled this series yet; this usually takes a few seconds.',
  },
  series: {
    fr: (loans: number, total: number) =>
      `${loans} sur ${total} ${total > 1 ? 'occurrences' : 'occurrence'} à venir ${loans > 1 ? 'ont leur' : 'a son'} propre prêt.`,
    en: (loans: number, total: number) =>
      `${loans} of ${total} upcoming ${total === 1 ? 'occurrence' : 'occurrences'} ${loans === 1 ? 'has a loan of its' : 'have a loan of their'} own.`,
  },
} as const;
