import { decisionsEn } from './decisionsEn';
import { operationsEn } from './operationsEn';
import type { JournalTexts } from './render';

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;
const gapsClosed = (n: number): string =>
  n > 0 ? `; ${plural(n, 'notification gap', 'notification gaps')} closed` : '';

/** The journal's messages in English: the text stored in `message` as well (readers of before). */
export const en: JournalTexts = {
  ...decisionsEn,
  ...operationsEn,
  'reconcile.delta': (p) =>
    `Reconciled ${p.room}: ${plural(p.changes, 'change', 'changes')} since the last pass${gapsClosed(p.gaps)}.`,
  'reconcile.expired': (p) =>
    `Reconciled ${p.room}: delta link expired, full pass over the booking window (${p.changes} events)${gapsClosed(p.gaps)}.`,
  'reconcile.first': (p) =>
    `Reconciled ${p.room}: first pass over the booking window (${p.changes} events)${gapsClosed(p.gaps)}.`,
  'reconcile.full': (p) =>
    `Reconciled ${p.room}: full pass over the booking window (${p.changes} events)${gapsClosed(p.gaps)}.`,
  'reconcile.summary': (p) =>
    `Re-sync pass over ${plural(p.rooms, 'room', 'rooms')}: ` +
    (p.changes === 0
      ? 'nothing to change.'
      : `${plural(p.changes, 'event', 'events')} read again; only what changed has its own line.`),
  'subscription.created': (p) => `Subscribed to the calendar of ${p.room} until ${p.until}.`,
  'subscription.deleted': (p) => `Subscription of ${p.room} deleted: the room is no longer synchronised.`,
  'subscription.replaced': (p) =>
    `Subscription of ${p.room} replaced by one that names events by immutable id.`,
  'subscription.extra': (p) => `Extra subscription of ${p.room} deleted.`,
  'subscription.reauthorized': (p) => `Subscription of ${p.room} reauthorized.`,
  'subscription.recreated': (p) =>
    `Subscription of ${p.room} recreated (${p.reason}); changes from ${p.from} to ${p.to} will be reconciled.`,
  'subscription.plain': (p) =>
    `Rich notifications refused for ${p.room} (${p.reason}): its subscription is a plain one, whose changes are read from Graph.`,
  'notification.read': (p) =>
    `A notification's copy of a meeting in ${p.room} was not used (${p.reason}): the copy was read from Graph instead.`,
  'subscription.missed': (p) =>
    `Graph missed notifications for ${p.room}; changes from ${p.from} to ${p.to} will be reconciled.`,
};
