/**
 * The journal's reasons in French (issue 15). A decision's reasons are stored as written, in
 * English (params `reasons`, joined by "; "): each known sentence is rendered in French — the
 * add-in's own translations first (server/sync/addin/reasonWording.ts), then the sync's other
 * sentences below — and an unknown one stays as written. A Hector rule's code stays in front.
 */
import { frenchSentence, rulePrefixOf } from '../addin/reasonWording';

type Rendering = { pattern: RegExp; fr: (m: RegExpMatchArray) => string };

/** Sentences of the sync (server/sync/rules, inbound, outbound) the add-in never shows. */
const JOURNAL_RENDERINGS: Rendering[] = [
  {
    pattern: /^(.+) no longer holds the meeting and no loan is linked$/,
    fr: (m) => `${m[1]} n’a plus la réunion et aucun prêt n’y est lié`,
  },
  {
    pattern: /^a series is synced occurrence by occurrence$/,
    fr: () => 'une série se synchronise occurrence par occurrence',
  },
  { pattern: /^the meeting's dates cannot be read$/, fr: () => 'les dates de la réunion sont illisibles' },
  {
    pattern: /^the meeting's end is not after its start$/,
    fr: () => 'la fin de la réunion n’est pas après son début',
  },
  { pattern: /^no synced room is left$/, fr: () => 'il ne reste aucune salle synchronisée' },
  { pattern: /^the meeting is now in (.+)$/, fr: (m) => `la réunion est maintenant dans ${m[1]}` },
  { pattern: /^waiting for the answer of (.+)$/, fr: (m) => `en attente de la réponse de ${m[1]}` },
  {
    pattern: /^applied over a Hector change that outbound sync could not push for minutes$/,
    fr: () =>
      'appliqué par-dessus un changement dans Hector que la synchronisation vers Outlook n’a pas pu envoyer depuis plusieurs minutes',
  },
  {
    pattern: /^Hector replaced this meeting: its loan moved to another organizer's calendar$/,
    fr: () =>
      'Hector a remplacé cette réunion : son prêt est passé dans le calendrier d’un autre organisateur',
  },
  { pattern: /^the organizer cancelled the series$/, fr: () => 'l’organisateur a annulé la série' },
  { pattern: /^the room was removed from the series$/, fr: () => 'la salle a été retirée de la série' },
  {
    pattern:
      /^the room declined the series \(Exchange declines a whole series when one occurrence conflicts or it reaches past the booking window\)$/,
    fr: () =>
      'la salle a refusé la série (Exchange refuse toute la série quand une occurrence est en conflit ou dépasse la fenêtre de réservation)',
  },
  {
    pattern: /^no Outlook meeting is linked to the loan$/,
    fr: () => 'aucune réunion Outlook n’est liée au prêt',
  },
  {
    pattern: /^the organizer's meeting cannot be found in the tenant$/,
    fr: () => 'la réunion de l’organisateur est introuvable dans le tenant',
  },
  {
    pattern: /^the loan is linked to a whole series, not to one of its occurrences$/,
    fr: () => 'le prêt est lié à une série entière, pas à l’une de ses occurrences',
  },
  {
    pattern: /^no room of the loan accepted the meeting$/,
    fr: () => 'aucune salle du prêt n’a accepté la réunion',
  },
  { pattern: /^the organizer's meeting is gone$/, fr: () => 'la réunion de l’organisateur a disparu' },
];

/** One reason in French when its sentence is known, else as written. */
export function frenchReason(reason: string): string {
  const prefix = rulePrefixOf(reason);
  const sentence = reason.slice(prefix.length);
  const known = frenchSentence(sentence) ?? journalSentence(sentence);
  return known === null ? reason : `${prefix}${known}`;
}

function journalSentence(sentence: string): string | null {
  for (const { pattern, fr } of JOURNAL_RENDERINGS) {
    const match = sentence.match(pattern);
    if (match) return fr(match);
  }
  return null;
}

/** Reasons joined by "; " (as stored) → each in French, joined the French way. */
export const frenchReasons = (joined: string): string => joined.split('; ').map(frenchReason).join(' ; ');

/** What changed (describeChanges' words, joined by "; ") in French. */
const CHANGE_RENDERINGS: Rendering[] = [
  { pattern: /^start (.+) → (.+)$/, fr: (m) => `début ${m[1]} → ${m[2]}` },
  { pattern: /^end (.+) → (.+)$/, fr: (m) => `fin ${m[1]} → ${m[2]}` },
  { pattern: /^requester (.+) → (.+)$/, fr: (m) => `demandeur ${m[1]} → ${m[2]}` },
  { pattern: /^status (.+) → (.+)$/, fr: (m) => `statut ${m[1]} → ${m[2]}` },
  { pattern: /^added (.+)$/, fr: (m) => `ajout de ${m[1]}` },
  { pattern: /^cancelled (.+)$/, fr: (m) => `retrait de ${m[1]}` },
];

/** A loan's or an event's field names, as decisions list them when no words were given. */
const FIELDS: Record<string, string> = {
  start: 'début',
  end: 'fin',
  requester: 'demandeur',
  status: 'statut',
  items: 'salles',
  subject: 'objet',
  body: 'corps',
  dates: 'dates',
  rooms: 'salles',
  organizer: 'organisateur',
};

function frenchChange(change: string): string {
  if (Object.hasOwn(FIELDS, change)) return FIELDS[change]!;
  for (const { pattern, fr } of CHANGE_RENDERINGS) {
    const match = change.match(pattern);
    if (match) return fr(match);
  }
  return change;
}

export const frenchChanges = (joined: string, separator: string): string =>
  joined
    .split(separator)
    .map(frenchChange)
    .join(separator === '; ' ? ' ; ' : separator);
