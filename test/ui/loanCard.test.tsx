import '@testing-library/jest-dom';
import { screen, within } from '@testing-library/react';
import { LoanCard } from '../../addin/components/LoanCard';
import { statusColor } from '../../addin/format';
import { statusColor as adminStatusColor } from '../../admin/format';
import { LOAN_STATUSES, statusLabel } from '../../server/hector/statuses';
import { aLoan, english, expectedRange, french, languages, renderInFluent } from './fixtures';

describe('A1: the loan card shows the linked Hector loan', () => {
  describe.each(languages)('in %s', (_language, l10n) => {
    it.each([
      ['pending_approval', "En attente d'approbation"],
      ['new', 'Nouveau'],
      ['assigned', 'Attribué'],
      ['out', 'Sorti'],
      ['overdue', 'En retard'],
      ['completed', 'Terminé'],
      ['cancelled', 'Annulé'],
    ])('A1: status %s shows Hector’s label "%s" in a badge', (status, statusLabel) => {
      renderInFluent(<LoanCard loan={aLoan({ status, statusLabel })} l10n={l10n} />);
      const card = screen.getByTestId('loan-card');
      const heading = within(card).getByRole('heading', { level: 2 });
      expect(heading).toHaveTextContent(/^(Prêt|Loan) 1042$/);
      expect(within(card).getByLabelText(`${l10n.strings.loan.status}: ${statusLabel}`)).toHaveTextContent(
        statusLabel,
      );
    });

    it('A1: shows the dates in the user’s locale and time zone, and the requester', () => {
      const loan = aLoan();
      renderInFluent(<LoanCard loan={loan} l10n={l10n} />);
      expect(screen.getByText(expectedRange(l10n, loan.start, loan.end))).toBeInTheDocument();
      expect(screen.getByText(l10n.strings.loan.when)).toBeInTheDocument();
      expect(screen.getByText(l10n.strings.loan.requester)).toBeInTheDocument();
      expect(screen.getByText(/Alice Martin/)).toHaveTextContent(
        'Alice Martin <alice.martin@univ-exemple.fr>',
      );
    });

    it('A1: lists every item with its own status', () => {
      renderInFluent(<LoanCard loan={aLoan()} l10n={l10n} />);
      const items = screen.getAllByRole('listitem');
      expect(items).toHaveLength(2);
      expect(items[0]).toHaveTextContent('Salle Curie');
      expect(items[0]).toHaveTextContent('Nouveau');
      expect(items[1]).toHaveTextContent('Amphi Pasteur');
      expect(items[1]).toHaveTextContent('Annulé');
      expect(items[0]).toHaveTextContent(l10n.strings.loan.itemKind.place);
    });

    it('B5: a loan waiting for a room’s approval says so in the user’s language', () => {
      const loan = aLoan({
        status: 'pending_approval',
        statusLabel: "En attente d'approbation",
        notice: { code: 'awaiting_approval', message: 'from the server' },
      });
      renderInFluent(<LoanCard loan={loan} l10n={l10n} />);
      expect(screen.getByTestId('loan-notice')).toHaveTextContent(
        l10n === french ? /En attente de l’approbation de la salle/ : /Waiting for the room's approval/,
      );
    });

    it('B5: no notice for a loan without one', () => {
      renderInFluent(<LoanCard loan={aLoan()} l10n={l10n} />);
      expect(screen.queryByTestId('loan-notice')).toBeNull();
    });

    it('A1: links to the loan in Hector, in a new window', () => {
      renderInFluent(<LoanCard loan={aLoan()} l10n={l10n} />);
      const link = screen.getByRole('link', { name: l10n.strings.loan.open });
      expect(link).toHaveAttribute('href', 'https://hector.example.org/admin/#/loans/loan-42');
      expect(link).toHaveAttribute('target', '_blank');
      expect(link).toHaveAttribute('rel', expect.stringContaining('noopener'));
    });
  });

  it('A1: the link reads "Ouvrir dans Hector" in French and "Open in Hector" in English', () => {
    const { unmount } = renderInFluent(<LoanCard loan={aLoan()} l10n={french} />);
    expect(screen.getByRole('link', { name: 'Ouvrir dans Hector' })).toBeInTheDocument();
    unmount();
    renderInFluent(<LoanCard loan={aLoan()} l10n={english} />);
    expect(screen.getByRole('link', { name: 'Open in Hector' })).toBeInTheDocument();
  });

  it('A1: an item without a label falls back to the add-in’s name of its status', () => {
    const loan = aLoan({
      items: [{ kind: 'asset', id: 'a1', name: 'Vidéoprojecteur', status: 'partially_out' }],
    });
    renderInFluent(<LoanCard loan={loan} l10n={english} />);
    const item = screen.getByRole('listitem');
    expect(item).toHaveTextContent('Partially out');
    expect(item).toHaveTextContent('Asset');
  });

  it.each(LOAN_STATUSES)(
    'A1: Hector status %s has the add-in’s own name in both languages and a colour',
    (status) => {
      expect(french.strings.statusNames[status]).toBe(statusLabel(status).fr.replace(/'/g, '’'));
      expect(english.strings.statusNames[status]).toBe(statusLabel(status).en);
      expect(statusColor(status)).not.toBe('subtle');
    },
  );

  it('A1: an item still in the loan is green, as on the admin page (one colour table for both)', () => {
    expect(statusColor('active')).toBe('success');
    expect(statusColor('active')).toBe(adminStatusColor('active'));
  });

  it('A1: a status the add-in does not know shows its label, in a neutral badge', () => {
    renderInFluent(<LoanCard loan={aLoan({ status: 'on_hold', statusLabel: 'En pause' })} l10n={french} />);
    expect(screen.getByLabelText('Statut: En pause')).toHaveTextContent('En pause');
    expect(statusColor('on_hold')).toBe('subtle');
  });

  it('A1: French dates read in French (day and month names)', () => {
    renderInFluent(<LoanCard loan={aLoan()} l10n={french} />);
    expect(screen.getByText(/décembre 2026/)).toHaveTextContent(/mardi 1 décembre 2026/);
  });
});
