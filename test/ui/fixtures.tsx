import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import type { LoanView } from '../../contract/addin';
import { localize, type Localization } from '../../addin/i18n';

export const TIME_ZONE = 'Europe/Paris';
export const french: Localization = localize('fr-FR', TIME_ZONE);
export const english: Localization = localize('en-US', TIME_ZONE);
export const languages = [
  ['French', french],
  ['English', english],
] as const;

export function aLoan(overrides: Partial<LoanView> = {}): LoanView {
  return {
    id: 'loan-42',
    number: 1042,
    status: 'new',
    statusLabel: 'Nouveau',
    start: '2026-12-01T08:00:00.000Z',
    end: '2026-12-01T09:30:00.000Z',
    requester: { email: 'alice.martin@univ-exemple.fr', name: 'Alice Martin' },
    items: [
      { kind: 'place', id: 'place-1', name: 'Salle Curie', status: 'new', statusLabel: 'Nouveau' },
      { kind: 'place', id: 'place-2', name: 'Amphi Pasteur', status: 'cancelled', statusLabel: 'Annulé' },
    ],
    url: 'https://hector.example.org/admin/#/loans/loan-42',
    ...overrides,
  };
}

export function renderInFluent(ui: ReactElement) {
  return render(<FluentProvider theme={webLightTheme}>{ui}</FluentProvider>);
}

/**
 * What Intl gives for the same range, so tests follow the platform's CLDR data; spaces collapsed
 * as Testing Library's matcher does (Intl uses narrow no-break spaces).
 */
export function expectedRange(l10n: Localization, start: string, end: string): string {
  return new Intl.DateTimeFormat(l10n.locale, {
    dateStyle: 'full',
    timeStyle: 'short',
    timeZone: l10n.timeZone,
  })
    .formatRange(new Date(start), new Date(end))
    .replace(/\s+/g, ' ');
}
