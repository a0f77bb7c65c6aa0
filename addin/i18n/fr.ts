import type { Strings } from './en';

/** Chaînes françaises du volet (mêmes clés que en.ts). */
export const fr: Strings = {
  appTitle: 'Prêt Hector',
  loading: 'Recherche du prêt Hector de cet événement…',
  loan: {
    heading: (number: number) => `Prêt ${number}`,
    status: 'Statut',
    when: 'Quand',
    requester: 'Demandeur',
    items: 'Éléments',
    itemKind: { place: 'Salle', asset: 'Actif' },
    open: 'Ouvrir dans Hector',
    notices: {
      awaiting_approval:
        'En attente de l’approbation de la salle : le prêt est confirmé dès que son délégué accepte.',
    },
  },
  statusNames: {
    pending_approval: 'En attente d’approbation',
    new: 'Nouveau',
    assigned: 'Attribué',
    suspended: 'Suspendu',
    partially_out: 'Partiellement sorti',
    out: 'Sorti',
    overdue: 'En retard',
    to_be_inspected: 'À inspecter',
    returned: 'Retourné',
    damaged: 'Endommagé',
    completed: 'Terminé',
    cancelled: 'Annulé',
    refused: 'Refusé',
  },
  noLoan: {
    heading: 'Aucun prêt Hector pour cet événement',
    reasons: {
      not_saved: 'Enregistrez d’abord l’événement : Hector ne voit un événement qu’une fois enregistré.',
      no_synced_room: 'Cet événement n’a aucune salle synchronisée avec Hector.',
      room_declined: 'La salle a refusé l’invitation : aucun prêt n’a été créé.',
      room_unavailable: 'La salle n’est pas disponible dans Hector pour ces dates.',
      syncing: 'Hector synchronise encore cet événement. Cette vue se met à jour toute seule.',
      sync_failed:
        'Hector n’a pas pu synchroniser cet événement. Votre administrateur doit corriger la cause ci-dessous, puis relancer la synchronisation ; appuyez ensuite sur Actualiser.',
      not_found: 'Hector ne connaît pas cet événement.',
      no_access: 'Hector n’a pas le droit de lire votre calendrier. Adressez-vous à votre administrateur.',
      series: 'Chaque occurrence de cette série a son propre prêt Hector.',
      other: 'Hector n’a aucun prêt pour cet événement.',
    },
    serverSays: 'Détail :',
    refresh: 'Actualiser',
    noItem: 'Ouvrez un événement du calendrier pour voir son prêt Hector.',
  },
  series: {
    heading: 'Réunion périodique',
    upcoming: 'Prochaines occurrences',
    none: 'Aucune occurrence de cette série n’a lieu dans la fenêtre de réservation.',
    loan: (number: number) => `Prêt ${number}`,
    noLoan: 'Aucun prêt',
    occurrence: (when: string, what: string) => `${when} : ${what}`,
  },
  errors: {
    signInTitle: 'Connexion nécessaire',
    signInText:
      'Connectez-vous avec votre compte professionnel pour qu’Hector affiche le prêt de cet événement.',
    signIn: 'Se connecter',
    unreachableTitle: 'Hector est injoignable',
    unreachableText: 'Le serveur Hector n’a pas répondu. Vérifiez votre connexion, puis réessayez.',
    busyTitle: 'Hector est occupé',
    busyText: 'Trop de demandes pour le moment. Patientez un instant, puis réessayez.',
    retry: 'Réessayer',
  },
};
