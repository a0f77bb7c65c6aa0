import type { JournalLanguage, JournalParams } from '../../../contract/journal';
import { en } from './en';
import { fr } from './fr';
import type { DecisionParams, OperationParams } from './params';

/**
 * The journal in the admin's language (issue 15): a writer records a code and its parameters,
 * and the text is rendered in French or English when read. The English rendering is stored too, as
 * `message`: entries of before have only that, and it is what the add-in and free text read.
 */
export interface JournalMessageParams extends DecisionParams, OperationParams {
  'reconcile.delta': { room: string; changes: number; gaps: number };
  'reconcile.expired': { room: string; changes: number; gaps: number };
  'reconcile.first': { room: string; changes: number; gaps: number };
  'reconcile.full': { room: string; changes: number; gaps: number };
  /** A pass whose rooms had nothing to tell: one line for the whole pass. */
  'reconcile.summary': { rooms: number; changes: number };
  'subscription.created': { room: string; until: string };
  'subscription.deleted': { room: string };
  'subscription.replaced': { room: string };
  'subscription.extra': { room: string };
  'subscription.reauthorized': { room: string };
  'subscription.recreated': { room: string; reason: string; from: string; to: string };
  'subscription.missed': { room: string; from: string; to: string };
  /** Issue 18: Graph refused rich notifications for the room; a plain subscription instead. */
  'subscription.plain': { room: string; reason: string };
  /** Issue 18: a rich notification's copy was not trusted (or could not decide); read instead. */
  'notification.read': { room: string; reason: string };
}

export type JournalCode = keyof JournalMessageParams;
export type JournalTexts = { [C in JournalCode]: (params: JournalMessageParams[C]) => string };

const TEXTS: Record<JournalLanguage, JournalTexts> = { en, fr };

/** What a writer hands the journal: the code, its parameters and the English text. */
export function journalMessage<C extends JournalCode>(
  code: C,
  params: JournalMessageParams[C],
): { code: C; params: JournalMessageParams[C]; message: string } {
  return { code, params, message: en[code](params) };
}

const isCode = (code: string): code is JournalCode => Object.hasOwn(en, code);

/** The entry's text in `language`; the stored text for entries without a (known) code. */
export function renderJournalMessage(
  entry: { code: string | null; params: JournalParams | null; message: string },
  language: JournalLanguage,
): string {
  if (!entry.code || !isCode(entry.code) || !entry.params) return entry.message;
  // The parameters were written by journalMessage for this code (the cast); a row that lacks one
  // (written by another version) renders its stored text rather than "undefined".
  const render = TEXTS[language][entry.code] as (params: JournalParams) => string;
  const text = render(entry.params);
  return text.includes('undefined') ? entry.message : text;
}

/** `?lang=` first, then the first French or English of Accept-Language, else English. */
export function journalLanguage(
  lang: string | undefined,
  acceptLanguage: string | undefined,
): JournalLanguage {
  if (lang === 'fr' || lang === 'en') return lang;
  const ranked = (acceptLanguage ?? '')
    .split(',')
    .map((part, index) => {
      const [tag, ...rest] = part.trim().toLowerCase().split(';');
      const q = rest.map((r) => r.trim()).find((r) => r.startsWith('q='));
      return { tag, q: q ? Number(q.slice(2)) || 0 : 1, index };
    })
    .filter((r) => r.tag && r.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index);
  for (const { tag } of ranked) {
    if (tag.startsWith('fr')) return 'fr';
    if (tag.startsWith('en')) return 'en';
  }
  return 'en';
}
