import { en, type Strings } from './en';
import { fr } from './fr';

export type { Strings };

/** What components need to speak the user's language: strings, locale and time zone. */
export interface Localization {
  strings: Strings;
  /** BCP 47 tag for Intl formatting, e.g. "fr-FR". */
  locale: string;
  /** IANA time zone for dates; undefined = the browser's. */
  timeZone?: string;
}

/** French when Office's display language starts with "fr", English otherwise (A2). */
export function localize(displayLanguage: string | undefined, timeZone?: string): Localization {
  const language = (displayLanguage || 'en-US').trim();
  const french = language.toLowerCase().startsWith('fr');
  return { strings: french ? fr : en, locale: language, timeZone };
}
