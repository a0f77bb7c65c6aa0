import { en, type Strings } from './en';
import { fr } from './fr';

export type { Strings };

/** What components need to speak the admin's language: strings and the locale for dates. */
export interface Localization {
  strings: Strings;
  /** BCP 47 tag for Intl formatting, e.g. "fr-FR". */
  locale: string;
  /** French or English, for Hector's two-language labels. */
  language: 'fr' | 'en';
  /** IANA time zone for dates; undefined = the browser's. */
  timeZone?: string;
}

/** French when the browser's language starts with "fr", English otherwise. */
export function localize(browserLanguage: string | undefined, timeZone?: string): Localization {
  const locale = (browserLanguage || 'en-US').trim();
  const french = locale.toLowerCase().startsWith('fr');
  return { strings: french ? fr : en, locale, language: french ? 'fr' : 'en', timeZone };
}
