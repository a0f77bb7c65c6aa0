import type { FailureParams, OperationParams, Texts } from './params';

/** Failures' and room imports' words in French (the admin page's "Resynchroniser" button). */
const RESYNC = 'cliquez sur Resynchroniser dans la page d’administration';

const about = (p: FailureParams) => {
  const whose = p.mailbox ? `le calendrier de ${p.mailbox}` : 'le calendrier';
  const loan = p.loan !== null ? `le prêt #${p.loan}` : null;
  const what =
    p.flow === 'inbound'
      ? `la réunion dans ${p.mailbox ?? 'une salle'}${p.loan !== null ? ` (prêt #${p.loan})` : ''}`
      : p.flow === 'outbound'
        ? (loan ?? 'un prêt')
        : (p.purpose ?? 'une tâche de fond');
  const forLoan = p.flow === 'outbound' && p.loan !== null ? ` pour le prêt #${p.loan}` : '';
  const sync = p.flow === 'other' ? `exécuter ${what}` : `synchroniser ${what}`;
  return { whose, forLoan, sync };
};

/** French: 0 and 1 are singular. */
const plural = (n: number, one: string, many: string): string => `${n} ${n <= 1 ? one : many}`;

export const operationsFr: Texts<OperationParams> = {
  'failure.permission_missing': (p) => {
    const { whose, forLoan } = about(p);
    return (
      `Hector ne peut pas ${p.access === 'write' ? 'écrire dans' : 'lire'} ${whose}${forLoan} : il manque à ` +
      `l’application la permission ${p.permission} — accordez-la dans Entra ID (autorisations d’API, ` +
      `consentement administrateur) et ${RESYNC}`
    );
  },
  'failure.outside_access_policy': (p) => {
    const { whose, forLoan } = about(p);
    return (
      `Hector ne peut pas atteindre ${whose}${forLoan} : la boîte aux lettres est hors de la stratégie ` +
      `d’accès de l’application — ajoutez-la au groupe de la stratégie dans Exchange Online, puis ${RESYNC}`
    );
  },
  'failure.mailbox_not_found': (p) =>
    `Hector ne trouve pas la boîte aux lettres de ${p.mailbox ?? 'ce calendrier'}${about(p).forLoan} (${p.detail}) — ` +
    `vérifiez son adresse e-mail dans Exchange${p.isRoom ? ', ou désactivez le lieu dans Hector' : ''}, puis ${RESYNC}`,
  'failure.settings_refused': (p) =>
    `Hector ne peut pas ${about(p).sync} : ${p.detail} — vérifiez les paramètres de l’intégration ` +
    `(ID client, secret, utilisateur par défaut) et enregistrez-les, puis ${RESYNC}`,
  'failure.request_refused': (p) =>
    `${p.by === 'graph' ? 'Graph' : 'Hector'} a refusé de ${about(p).sync} : ${p.detail} — corrigez ` +
    `${p.flow === 'outbound' ? 'le prêt dans Hector' : 'la réunion dans Outlook'} ; la synchronisation ` +
    `reprend à sa prochaine modification`,
  'failure.transient': (p) =>
    `Hector a renoncé à ${about(p).sync}${p.attempts ? ` après ${p.attempts} essais` : ''} : ${p.detail} — ` +
    `la prochaine resynchronisation réessaiera (toutes les heures) ; ${RESYNC} pour réessayer maintenant`,
  'rooms.imported': (p) =>
    `Salles importées via ${p.source === 'places' ? 'l’API Places' : 'les utilisateurs ayant une boîte aux lettres de salle'} : ` +
    `${plural(p.active, 'active', 'actives')}, ${plural(p.ignored, 'ignorée', 'ignorées')} par étiquette, ` +
    `${plural(p.deactivated, 'désactivée', 'désactivées')}, ${plural(p.renamed, 'renommée', 'renommées')}` +
    (p.held > 0
      ? `, ${plural(p.held, 'manquante conservée', 'manquantes conservées')} en attendant l’avis de l’administrateur.`
      : '.'),
  'rooms.held': (p) => {
    const from =
      p.source === 'places'
        ? 'l’API Places'
        : 'la liste des utilisateurs ayant une boîte aux lettres de salle';
    const answer = p.seen === 0 ? 'aucune salle' : `seulement ${plural(p.seen, 'salle', 'salles')}`;
    return (
      `Import des salles retenu : ${from} a renvoyé ${answer} alors que ${p.activeBefore} sont synchronisées, ` +
      `donc aucune salle n’a été désactivée. Les données Places peuvent avoir jusqu’à deux jours de retard sur ` +
      `Exchange, et une réponse vide ou bien plus petite ne prouve pas que des salles ont été supprimées. ` +
      `Confirmez dans la page d’administration pour désactiver ${p.held === 1 ? 'la salle manquante' : `les ${p.held} salles manquantes`}, ` +
      `ou ignorez pour les garder.`
    );
  },
};
