import { decisionsFr } from './decisionsFr';
import { operationsFr } from './operationsFr';
import type { JournalTexts } from './render';

const plural = (n: number, one: string, many: string): string => `${n} ${n <= 1 ? one : many}`;
const gapsClosed = (n: number): string =>
  n > 0 ? ` ; ${plural(n, 'trou de notifications comblé', 'trous de notifications comblés')}` : '';

/** The journal's messages in French (the admin's language, issue 15). */
export const fr: JournalTexts = {
  ...decisionsFr,
  ...operationsFr,
  'reconcile.delta': (p) =>
    `${p.room} resynchronisée : ${plural(p.changes, 'changement', 'changements')} depuis le dernier passage${gapsClosed(p.gaps)}.`,
  'reconcile.expired': (p) =>
    `${p.room} resynchronisée : lien delta expiré, passage complet sur la fenêtre de réservation (${p.changes} événements)${gapsClosed(p.gaps)}.`,
  'reconcile.first': (p) =>
    `${p.room} resynchronisée : premier passage sur la fenêtre de réservation (${p.changes} événements)${gapsClosed(p.gaps)}.`,
  'reconcile.full': (p) =>
    `${p.room} resynchronisée : passage complet sur la fenêtre de réservation (${p.changes} événements)${gapsClosed(p.gaps)}.`,
  'reconcile.summary': (p) =>
    `Resynchronisation de ${plural(p.rooms, 'salle', 'salles')} : ` +
    (p.changes === 0
      ? 'rien à changer.'
      : `${plural(p.changes, 'événement relu', 'événements relus')} ; seuls les changements ont leur propre ligne.`),
  'subscription.created': (p) => `Abonnement au calendrier de ${p.room} jusqu'au ${p.until}.`,
  'subscription.deleted': (p) => `Abonnement de ${p.room} supprimé : la salle n'est plus synchronisée.`,
  'subscription.replaced': (p) =>
    `Abonnement de ${p.room} remplacé par un abonnement qui nomme les événements par identifiant immuable.`,
  'subscription.extra': (p) => `Abonnement en trop de ${p.room} supprimé.`,
  'subscription.reauthorized': (p) => `Abonnement de ${p.room} réautorisé.`,
  'subscription.recreated': (p) =>
    `Abonnement de ${p.room} recréé (${p.reason}) ; les changements du ${p.from} au ${p.to} seront resynchronisés.`,
  'subscription.plain': (p) =>
    `Notifications enrichies refusées pour ${p.room} (${p.reason}) : son abonnement est un abonnement simple, dont les changements sont lus dans Graph.`,
  'notification.read': (p) =>
    `La copie d'une réunion de ${p.room} jointe à une notification n'a pas été utilisée (${p.reason}) : la copie a été lue dans Graph.`,
  'subscription.missed': (p) =>
    `Graph a manqué des notifications pour ${p.room} ; les changements du ${p.from} au ${p.to} seront resynchronisés.`,
};
