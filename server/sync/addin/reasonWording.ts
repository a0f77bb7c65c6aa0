/**
 * The journal's reasons in the add-in user's language (A2, B3). The journal writes its decisions'
 * reasons in English (what admins and free-text search read); the add-in shows them to people in
 * French too. Pure: each known sentence of the sync and of Hector's rules (server/sync/rules,
 * server/hector/rules.ts) has its French; an unknown one is shown as written.
 */
import type { Language } from './loanView';

type Rendering = { pattern: RegExp; fr: (m: RegExpMatchArray) => string };

const RENDERINGS: Rendering[] = [
  {
    pattern: /^(.+) is taken by loan (#\d+(?:, #\d+)*)$/,
    fr: (m) => `${m[1]} est déjà prise par le prêt ${m[2]}`,
  },
  {
    pattern: /^The loan is outside the opening schedule of (.+) \((.+)\)\.?$/,
    fr: (m) => `Hors des horaires d’ouverture de ${m[1]} dans Hector (${m[2]}).`,
  },
  {
    pattern: /^(.+) can be booked at most (\d+) days ahead \(booking window\)\.?$/,
    fr: (m) => `${m[1]} ne se réserve au plus que ${m[2]} jours à l’avance (délai de réservation).`,
  },
  {
    pattern: /^The loan is longer than the maximum loan duration of (.+) \((\d+) minutes\)\.?$/,
    fr: (m) => `Plus long que la durée maximale de prêt de ${m[1]} (${m[2]} minutes).`,
  },
  {
    pattern: /^(.+) is inactive and cannot be lent\.?$/,
    fr: (m) => `${m[1]} est inactive : Hector ne la prête pas.`,
  },
  {
    pattern: /^Loans are made of 15-minute blocks/,
    fr: () => 'Les prêts se font par quarts d’heure (:00, :15, :30, :45).',
  },
  { pattern: /^The end of a loan must be after its start\.?$/, fr: () => 'La fin doit être après le début.' },
  { pattern: /^the meeting was cancelled$/, fr: () => 'la réunion a été annulée' },
  { pattern: /^the meeting has no synced room$/, fr: () => 'la réunion n’a aucune salle synchronisée' },
  {
    pattern: /^no synced room of the meeting is available$/,
    fr: () => 'aucune salle synchronisée de la réunion n’est disponible',
  },
  {
    pattern: /^(.+) left the meeting \(its copy is gone: removed, declined or cancelled\)$/,
    fr: (m) => `${m[1]} a quitté la réunion (sa copie a disparu : retirée, refusée ou annulée)`,
  },
];

/** Reasons that are Hector's own refusal of the room for these dates (V4 taken, K2 rules). */
const UNAVAILABLE = [
  / is taken by loan #/,
  /^The loan is outside the opening schedule of /,
  / can be booked at most \d+ days ahead/,
  /^The loan is longer than the maximum loan duration of /,
  / is inactive and cannot be lent/,
];

/** Hector's rule errors name their rule first ("OUTSIDE_SCHEDULE (K2): …"): admins' words, not a person's. */
const RULE_PREFIX = /^[A-Z][A-Z_]+ \([A-Z]+\d*\): /;

/** One journal reason (English, as written) in `language`; as written when it is not known. */
export function localizeReason(reason: string, language: Language): string {
  const sentence = reason.replace(RULE_PREFIX, '');
  if (language === 'en') return sentence;
  return frenchSentence(sentence) ?? sentence;
}

/** The French of one known sentence (no rule code in front); null when none is known. */
export function frenchSentence(sentence: string): string | null {
  for (const { pattern, fr } of RENDERINGS) {
    const match = sentence.match(pattern);
    if (match) return fr(match);
  }
  return null;
}

/** A Hector rule error's code in front of its sentence ("OUTSIDE_SCHEDULE (K2): "), or ''. */
export const rulePrefixOf = (reason: string): string => reason.match(RULE_PREFIX)?.[0] ?? '';

/** Whether a reason says Hector itself cannot lend the room then (→ `room_unavailable`). */
export function isHectorRefusal(reason: string): boolean {
  const sentence = reason.replace(RULE_PREFIX, '');
  return UNAVAILABLE.some((p) => p.test(sentence));
}
