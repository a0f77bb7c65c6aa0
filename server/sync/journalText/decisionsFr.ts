import type { DecisionParams, Texts } from './params';
import { frenchChanges, frenchReason, frenchReasons } from './reasonsFr';

/** Decisions' words in French; the reasons in French where a translation is known. */
const loanOf = (n: number | null): string => (n !== null ? `prêt #${n}` : 'aucun prêt');
const Loan = (n: number | null): string => (n !== null ? `Prêt #${n}` : 'Aucun prêt');
const tail = (reasons: string): string => (reasons ? ` : ${frenchReasons(reasons)}` : '');
/** French: 0 and 1 are singular. */
const plural = (n: number, one: string, many: string): string => `${n} ${n <= 1 ? one : many}`;

export const decisionsFr: Texts<DecisionParams> = {
  'inbound.created': (p) => `${Loan(p.loan)} créé depuis la copie de ${p.room}${tail(p.reasons)}`,
  'inbound.updated': (p) => `${Loan(p.loan)} modifié (${frenchChanges(p.changes, '; ')})${tail(p.reasons)}`,
  'inbound.cancelled': (p) => `${Loan(p.loan)} annulé${tail(p.reasons)}`,
  'inbound.in_sync': (p) =>
    `${Loan(p.loan)} à jour avec la réunion : rien à changer${p.reasons ? ` (${frenchReasons(p.reasons)})` : ''}`,
  'inbound.ignored': (p) =>
    `Non synchronisé${p.kept ? ` (${loanOf(p.loan)} inchangé)` : ''}${tail(p.reasons)}`,
  'series.pass': (p) => {
    const parts = [
      p.created && plural(p.created, 'prêt créé', 'prêts créés'),
      p.updated && plural(p.updated, 'modifié', 'modifiés'),
      p.cancelled && plural(p.cancelled, 'annulé', 'annulés'),
      p.ignored && plural(p.ignored, 'non synchronisée', 'non synchronisées'),
      p.inSync && `${p.inSync} à jour`,
      p.kept && plural(p.kept, 'prêt passé conservé', 'prêts passés conservés'),
    ].filter((part): part is string => Boolean(part));
    const total = p.created + p.updated + p.cancelled + p.ignored + p.inSync;
    const head = p.gone
      ? `La série a quitté ${p.room}${p.why ? ` (${frenchReason(p.why)})` : ''}`
      : `Série dans ${p.room} : ${plural(total, 'occurrence', 'occurrences')} dans la fenêtre de réservation`;
    return `${head}${parts.length ? ` — ${parts.join(', ')}` : ''}.`;
  },
  'inbound.declined_unseen': (p) =>
    `${p.room} a refusé ${p.series ? 'cette série' : 'cette réunion'} dans Exchange : aucun prêt` +
    (p.conflictStart
      ? ` (${p.series ? "l'occurrence du " : 'le '}${p.conflictStart.slice(0, 16).replace('T', ' ')} UTC chevauche « ${p.conflictSubject ?? ''} »${p.conflictLoan !== null ? ` (prêt #${p.conflictLoan})` : ''} dans le calendrier de la salle)`
      : p.pastWindow
        ? ' (elle dépasse la fenêtre de réservation de la salle : Exchange refuse alors toute la série)'
        : '') +
    " — vu sur la copie de l'organisateur",
  'series.adopted': (p) =>
    `La réunion est devenue une série : le prêt #${p.loan ?? '?'} suit désormais sa première occurrence`,
  'outbound.created': (p) =>
    `Outlook : événement du prêt #${p.loan} créé dans le calendrier de ${p.organizer}${p.note ? ` (${frenchReason(p.note)})` : ''}`,
  'outbound.updated': (p) =>
    `Outlook : événement du prêt #${p.loan} modifié dans le calendrier de ${p.organizer} (${frenchChanges(p.changed, ', ')})`,
  'outbound.moved': (p) =>
    `Outlook : événement du prêt #${p.loan} déplacé du calendrier de ${p.from} vers celui de ${p.organizer}${p.note ? ` (${frenchReason(p.note)})` : ''}`,
  'outbound.deleted': (p) =>
    `Outlook : événement du prêt #${p.loan} supprimé du calendrier de ${p.organizer} : ${frenchReasons(p.reason)}`,
  'outbound.declined': (p) =>
    `Outlook : ${p.rooms} ${p.rooms.includes(', ') ? 'ont refusé' : 'a refusé'} la réunion du prêt #${p.loan} : ${frenchReasons(p.reason)}`,
  'outbound.in_sync': (p) => `L’événement du prêt #${p.loan} est à jour avec le prêt : rien n’est écrit`,
  'outbound.ignored': (p) => `Non synchronisé vers Outlook (prêt #${p.loan}) : ${frenchReasons(p.reason)}`,
  'outbound.meeting_gone': (p) => `Prêt #${p.loan} annulé : ${frenchReasons(p.reason)}`,
};
