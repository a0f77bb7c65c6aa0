import '@testing-library/jest-dom';
import { FluentProvider, webLightTheme } from '@fluentui/react-components';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { JournalTable } from '../../admin/components/JournalTab';
import { localize } from '../../admin/i18n';
import type { JournalEntry } from '../../contract/journal';

// B3: the journal shows one line per series change; its occurrences' decisions fold under it.
const entry = (id: string, over: Partial<JournalEntry>): JournalEntry => ({
  id,
  at: `2026-12-02T10:00:0${id}.000Z`,
  kind: 'created',
  message: `entry ${id}`,
  iCalUId: null,
  eventId: null,
  roomEmail: 'salle-a001@universite.test',
  loanId: null,
  details: null,
  code: null,
  params: null,
  ...over,
});

const pass = { series: 'SERIES', seriesPass: 'master@2026-12-02T10:00:00.000Z' };
const entries: JournalEntry[] = [
  entry('1', { message: 'Created loan #1 from Salle A-001’s copy', details: pass }),
  entry('2', { message: 'Created loan #2 from Salle A-001’s copy', details: pass }),
  entry('3', {
    kind: 'series',
    message: 'Series in Salle A-001: 2 occurrences in the booking window — 2 loans created.',
    details: pass,
  }),
  entry('4', { message: 'A single meeting', details: null }),
];

function renderTable(language: 'en' | 'fr') {
  return render(
    <FluentProvider theme={webLightTheme}>
      <JournalTable entries={entries} l10n={localize(language === 'en' ? 'en-GB' : 'fr-FR')} />
    </FluentProvider>,
  );
}

describe('B3: series in the admin journal', () => {
  it('B3 B4: one line per series change, expandable to its occurrences’ decisions', () => {
    renderTable('en');
    const table = screen.getByTestId('journal-table');
    expect(within(table).getByText(/2 loans created/)).toBeInTheDocument();
    expect(within(table).getByText('A single meeting')).toBeInTheDocument();
    expect(within(table).queryByText(/Created loan #1/)).not.toBeInTheDocument();
    const toggle = within(table).getByRole('button', { name: 'Show its 2 decisions' });
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    fireEvent.click(toggle);
    expect(within(table).getByText(/Created loan #1/)).toBeInTheDocument();
    expect(within(table).getByText(/Created loan #2/)).toBeInTheDocument();
    const hide = within(table).getByRole('button', { name: 'Hide its decisions' });
    expect(hide).toHaveAttribute('aria-expanded', 'true');
    fireEvent.click(hide);
    expect(within(table).queryByText(/Created loan #1/)).not.toBeInTheDocument();
  });

  it('B3 B4: the toggle speaks French too', () => {
    renderTable('fr');
    expect(screen.getByRole('button', { name: 'Voir ses 2 décisions' })).toBeInTheDocument();
  });
});
