import '@testing-library/jest-dom';
import { act, screen, waitFor, within } from '@testing-library/react';
import type { SeriesView as Series } from '../../contract/addin';
import { createApiClient } from '../../addin/api';
import { SeriesView } from '../../addin/components/SeriesView';
import { TaskPane } from '../../addin/components/TaskPane';
import { formatShortRange } from '../../addin/format';
import { english, french, languages, renderInFluent } from './fixtures';

// B3 A1 A2: the task pane opened on a series (its master) lists its upcoming occurrences.
const series = (language: 'fr' | 'en'): Series => ({
  occurrences: [
    {
      start: '2026-12-04T08:00:00.000Z',
      end: '2026-12-04T09:00:00.000Z',
      loan: { id: 'loan-1', number: 1042, status: 'new', statusLabel: language === 'fr' ? 'Nouveau' : 'New' },
      reason: null,
    },
    {
      start: '2026-12-05T08:00:00.000Z',
      end: '2026-12-05T09:00:00.000Z',
      loan: null,
      reason: {
        code: 'room_unavailable',
        message:
          language === 'fr'
            ? 'Hors des horaires d’ouverture de Salle Curie dans Hector (Europe/Paris).'
            : 'The loan is outside the opening schedule of Salle Curie (Europe/Paris).',
      },
    },
    {
      start: '2026-12-07T08:00:00.000Z',
      end: '2026-12-07T09:00:00.000Z',
      loan: { id: 'loan-2', number: 1043, status: 'pending_approval', statusLabel: '' },
      reason: null,
    },
  ],
});
const seriesReason = {
  code: 'series' as const,
  message: '2 of 3 upcoming occurrences have a loan of their own.',
};

describe('B3: the series list in the task pane', () => {
  describe.each(languages)('in %s', (name, l10n) => {
    const language = name === 'French' ? 'fr' : 'en';
    const when = (i: number) => {
      const o = series(language).occurrences[i];
      return formatShortRange(o.start, o.end, l10n.locale, l10n.timeZone);
    };

    it('B3 A1 A2: each occurrence with its loan number and status, or no loan and why', () => {
      renderInFluent(<SeriesView reason={seriesReason} series={series(language)} l10n={l10n} />);
      const region = screen.getByRole('region', { name: l10n.strings.series.heading });
      expect(within(region).getByText(l10n.strings.noLoan.reasons.series)).toBeInTheDocument();
      const list = within(region).getByRole('list', { name: l10n.strings.series.upcoming });
      const items = within(list).getAllByRole('listitem');
      expect(items).toHaveLength(3);

      const t = l10n.strings;
      const newLabel = language === 'fr' ? 'Nouveau' : 'New';
      expect(items[0]).toHaveAccessibleName(
        t.series.occurrence(when(0), `${t.series.loan(1042)}, ${newLabel}`),
      );
      expect(within(items[0]).getByText(t.series.loan(1042))).toBeInTheDocument();
      expect(within(items[0]).getByText(newLabel)).toBeInTheDocument();

      const why = series(language).occurrences[1].reason!.message;
      expect(items[1]).toHaveAccessibleName(t.series.occurrence(when(1), `${t.series.noLoan}. ${why}`));
      expect(within(items[1]).getByText(t.series.noLoan)).toBeInTheDocument();
      expect(within(items[1]).getByText(why)).toBeInTheDocument();

      // No label from the server: the add-in's own name for the status.
      expect(within(items[2]).getByText(t.statusNames.pending_approval)).toBeInTheDocument();
      expect(within(items[2]).getByText(t.series.loan(1043))).toBeInTheDocument();
    });

    it('B3: a series with no upcoming occurrence says so', () => {
      renderInFluent(
        <SeriesView reason={{ code: 'other', message: 'none' }} series={{ occurrences: [] }} l10n={l10n} />,
      );
      expect(screen.getByText(l10n.strings.series.none)).toBeInTheDocument();
      expect(screen.queryByRole('list')).not.toBeInTheDocument();
    });
  });

  it('A2: French and English differ, dates in the user’s locale', () => {
    const { unmount } = renderInFluent(
      <SeriesView reason={seriesReason} series={series('fr')} l10n={french} />,
    );
    expect(screen.getByRole('heading', { name: 'Réunion périodique' })).toBeInTheDocument();
    expect(screen.getByText('Prêt 1042')).toBeInTheDocument();
    expect(screen.getByText(/ven\. 4 déc\./)).toBeInTheDocument();
    unmount();
    renderInFluent(<SeriesView reason={seriesReason} series={series('en')} l10n={english} />);
    expect(screen.getByRole('heading', { name: 'Recurring meeting' })).toBeInTheDocument();
    expect(screen.getByText(/Fri, Dec 4/)).toBeInTheDocument();
  });

  describe('B3: a series still syncing refreshes itself', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it('B3: refresh every few seconds while syncing, not once the occurrences are decided', () => {
      const onRefresh = jest.fn();
      const { rerender } = renderInFluent(
        <SeriesView
          reason={{ code: 'syncing' }}
          series={{ occurrences: [] }}
          l10n={french}
          onRefresh={onRefresh}
        />,
      );
      act(() => jest.advanceTimersByTime(3000));
      expect(onRefresh).toHaveBeenCalledTimes(1);
      rerender(
        <SeriesView reason={seriesReason} series={series('fr')} l10n={french} onRefresh={onRefresh} />,
      );
      act(() => jest.advanceTimersByTime(30_000));
      expect(onRefresh).toHaveBeenCalledTimes(1);
    });
  });

  it('B3: the pane asks the server about the series and shows the list it answers (api.ts → TaskPane)', async () => {
    const body = { reason: seriesReason, series: series('en') };
    const fetch = jest.fn(async () => ({
      status: 200,
      ok: true,
      headers: { get: () => null },
      json: async () => body,
    }));
    const api = createApiClient({
      apiBase: 'https://hector.example.org',
      tokens: { getToken: async () => 'token' },
      fetch: fetch as unknown as typeof globalThis.fetch,
    });
    renderInFluent(
      <TaskPane
        l10n={english}
        currentItem={async () => ({ kind: 'event', itemId: 'AAMk-series' })}
        loadLoan={api.loan}
      />,
    );
    await waitFor(() => expect(screen.getByTestId('series')).toBeInTheDocument());
    expect(screen.getAllByTestId('series-occurrence').map((li) => li.dataset.loan)).toEqual([
      'loan-1',
      '',
      'loan-2',
    ]);
    expect(screen.queryByTestId('no-loan')).not.toBeInTheDocument();
  });
});
