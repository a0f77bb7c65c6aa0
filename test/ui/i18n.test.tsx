import { en } from '../../addin/i18n/en';
import { fr } from '../../addin/i18n/fr';
import { localize } from '../../addin/i18n';
import { isDarkColor } from '../../addin/host';

function keys(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

describe('A2: French and English from Office’s display language', () => {
  it.each([
    ['fr-FR', fr],
    ['fr-CA', fr],
    ['FR-be', fr],
    ['en-US', en],
    ['de-DE', en],
    ['', en],
  ])('display language "%s" picks the right strings', (language, strings) => {
    expect(localize(language).strings).toBe(strings);
  });

  it('A2: both languages have the same keys and no empty text', () => {
    expect(keys(fr).sort()).toEqual(keys(en).sort());
    for (const strings of [fr, en]) {
      for (const key of keys(strings)) {
        const value = key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], strings);
        if (typeof value === 'string') expect(value.trim()).not.toBe('');
      }
    }
  });

  it('A2: the French link reads "Ouvrir dans Hector"', () => {
    expect(fr.loan.open).toBe('Ouvrir dans Hector');
    expect(en.loan.open).toBe('Open in Hector');
  });
});

describe('theme: dark when the Office body background is dark', () => {
  it.each([
    ['#1f1f1f', true],
    ['#000000', true],
    ['#ffffff', false],
    ['#f3f2f1', false],
    [undefined, false],
    ['not a colour', false],
  ])('%s → dark=%s', (colour, dark) => {
    expect(isDarkColor(colour)).toBe(dark);
  });
});
