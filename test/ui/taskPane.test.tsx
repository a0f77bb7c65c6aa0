import '@testing-library/jest-dom';
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import type { LoanOutcome } from '../../addin/api';
import { TaskPane, TaskPaneView, type PaneState } from '../../addin/components/TaskPane';
import type { CurrentItem } from '../../addin/host';
import { aLoan, english, french, languages, renderInFluent } from './fixtures';

const anEvent: CurrentItem = { kind: 'event', itemId: 'AAMkAGI2-rest-id' };

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('the task pane in every state', () => {
  describe.each(languages)('in %s', (_language, l10n) => {
    const states: [string, PaneState, string][] = [
      ['loading', { kind: 'loading' }, l10n.strings.loading],
      ['loan', { kind: 'loan', loan: aLoan() }, '1042'],
      [
        'no loan',
        { kind: 'noLoan', reason: { code: 'room_declined' } },
        l10n.strings.noLoan.reasons.room_declined,
      ],
      ['sign-in needed', { kind: 'error', error: 'sign_in' }, l10n.strings.errors.signInTitle],
      ['server unreachable', { kind: 'error', error: 'unreachable' }, l10n.strings.errors.unreachableTitle],
      ['no event selected', { kind: 'noItem' }, l10n.strings.noLoan.noItem],
    ];
    it.each(states)('%s: inside a main landmark with a polite live region', (_name, state, text) => {
      renderInFluent(<TaskPaneView state={state} l10n={l10n} onRetry={jest.fn()} onSignIn={jest.fn()} />);
      const main = screen.getByRole('main');
      expect(main).toHaveAccessibleName(l10n.strings.appTitle);
      const live = screen.getByTestId('pane-state');
      expect(live).toHaveAttribute('aria-live', 'polite');
      expect(live).toHaveTextContent(text);
    });
  });
});

describe('the task pane asks the server about the open event', () => {
  it('A1: shows a spinner, then the loan of the open event', async () => {
    const answer = deferred<LoanOutcome>();
    const loadLoan = jest.fn(() => answer.promise);
    renderInFluent(<TaskPane l10n={french} currentItem={async () => anEvent} loadLoan={loadLoan} />);
    expect(screen.getByText(french.strings.loading)).toBeInTheDocument();
    await waitFor(() => expect(loadLoan).toHaveBeenCalledWith('AAMkAGI2-rest-id', undefined));
    await act(async () => answer.resolve({ kind: 'loan', loan: aLoan() }));
    expect(screen.getByRole('heading', { name: 'Prêt 1042' })).toBeInTheDocument();
    expect(screen.getAllByText('Nouveau').length).toBeGreaterThan(0);
  });

  it('A2: an unsaved event in compose mode says "save first" without asking the server', async () => {
    const loadLoan = jest.fn();
    renderInFluent(
      <TaskPane l10n={english} currentItem={async () => ({ kind: 'not_saved' })} loadLoan={loadLoan} />,
    );
    expect(await screen.findByText(english.strings.noLoan.reasons.not_saved)).toBeInTheDocument();
    expect(loadLoan).not.toHaveBeenCalled();
  });

  it('server unreachable: retry asks again and then shows the loan', async () => {
    const loadLoan = jest
      .fn<Promise<LoanOutcome>, [string]>()
      .mockResolvedValueOnce({ kind: 'error', error: 'unreachable' })
      .mockResolvedValueOnce({ kind: 'loan', loan: aLoan() });
    renderInFluent(<TaskPane l10n={english} currentItem={async () => anEvent} loadLoan={loadLoan} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('heading', { name: 'Loan 1042' })).toBeInTheDocument();
    expect(loadLoan).toHaveBeenCalledTimes(2);
  });

  it('sign-in needed: the button asks again interactively', async () => {
    const loadLoan = jest
      .fn()
      .mockResolvedValueOnce({ kind: 'error', error: 'sign_in' })
      .mockResolvedValueOnce({ kind: 'noLoan', reason: { code: 'no_synced_room' } });
    renderInFluent(<TaskPane l10n={french} currentItem={async () => anEvent} loadLoan={loadLoan} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Se connecter' }));
    expect(await screen.findByText(french.strings.noLoan.reasons.no_synced_room)).toBeInTheDocument();
    expect(loadLoan).toHaveBeenLastCalledWith('AAMkAGI2-rest-id', { interactive: true, forceRefresh: true });
  });

  it('A1: the pane serves the item it was opened on, once (no ItemChanged on appointments)', async () => {
    const currentItem = jest.fn(async (): Promise<CurrentItem> => anEvent);
    const loadLoan = jest.fn(async (): Promise<LoanOutcome> => ({ kind: 'loan', loan: aLoan() }));
    renderInFluent(<TaskPane l10n={english} currentItem={currentItem} loadLoan={loadLoan} />);
    expect(await screen.findByRole('heading', { name: 'Loan 1042' })).toBeInTheDocument();
    expect(currentItem).toHaveBeenCalledTimes(1);
    expect(loadLoan).toHaveBeenCalledTimes(1);
  });

  it('A2: "syncing" refreshes by itself until the loan appears, without a spinner in between', async () => {
    jest.useFakeTimers();
    try {
      const loadLoan = jest
        .fn()
        .mockResolvedValueOnce({ kind: 'noLoan', reason: { code: 'syncing' } })
        .mockResolvedValueOnce({ kind: 'loan', loan: aLoan() });
      renderInFluent(
        <TaskPane
          l10n={french}
          currentItem={async () => anEvent}
          loadLoan={loadLoan}
          syncingRefreshMs={2000}
        />,
      );
      await act(async () => undefined);
      expect(screen.getByText(french.strings.noLoan.reasons.syncing)).toBeInTheDocument();
      await act(async () => jest.advanceTimersByTime(2000));
      expect(screen.queryByText(french.strings.loading)).not.toBeInTheDocument();
      expect(screen.getByRole('heading', { name: 'Prêt 1042' })).toBeInTheDocument();
      expect(loadLoan).toHaveBeenCalledTimes(2);
    } finally {
      jest.useRealTimers();
    }
  });

  it('B6: "syncing" that turns "sync_failed" shows the server’s reason and stops refreshing by itself', async () => {
    jest.useFakeTimers();
    try {
      const why =
        "Hector cannot read Salle A-101's calendar: the app lacks Calendars.Read — grant it in Entra ID and press Re-sync";
      const loadLoan = jest
        .fn()
        .mockResolvedValueOnce({ kind: 'noLoan', reason: { code: 'syncing' } })
        .mockResolvedValue({ kind: 'noLoan', reason: { code: 'sync_failed', message: why } });
      renderInFluent(
        <TaskPane
          l10n={english}
          currentItem={async () => anEvent}
          loadLoan={loadLoan}
          syncingRefreshMs={2000}
        />,
      );
      await act(async () => undefined);
      await act(async () => jest.advanceTimersByTime(2000));
      expect(screen.getByText(english.strings.noLoan.reasons.sync_failed)).toBeInTheDocument();
      expect(screen.getByText(/the app lacks Calendars\.Read/)).toBeInTheDocument();
      expect(loadLoan).toHaveBeenCalledTimes(2);
      await act(async () => jest.advanceTimersByTime(30_000));
      expect(loadLoan).toHaveBeenCalledTimes(2);
      // The person may still ask again once the admin has fixed it.
      expect(screen.getByRole('button', { name: english.strings.noLoan.refresh })).toBeInTheDocument();
    } finally {
      jest.useRealTimers();
    }
  });
});
