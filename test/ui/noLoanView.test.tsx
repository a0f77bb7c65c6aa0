import '@testing-library/jest-dom';
import { act, fireEvent, screen } from '@testing-library/react';
import type { NoLoanReasonCode } from '../../contract/addin';
import { NoLoanView } from '../../addin/components/NoLoanView';
import { english, french, languages, renderInFluent } from './fixtures';

const CODES: NoLoanReasonCode[] = [
  'not_saved',
  'no_synced_room',
  'room_declined',
  'room_unavailable',
  'syncing',
  'sync_failed',
  'not_found',
  'no_access',
  'other',
];

describe('A2: the no-loan view says why the event has no loan', () => {
  describe.each(languages)('in %s', (_language, l10n) => {
    it.each(CODES)('A2: reason %s is explained in the user’s language', (code) => {
      renderInFluent(<NoLoanView reason={{ code, message: `journal says ${code}` }} l10n={l10n} />);
      expect(screen.getByRole('heading', { level: 2 })).toHaveTextContent(l10n.strings.noLoan.heading);
      expect(screen.getByText(l10n.strings.noLoan.reasons[code])).toBeInTheDocument();
      expect(screen.getByText(new RegExp(`journal says ${code}`))).toBeInTheDocument();
    });
  });

  it('A2: French and English sentences differ (not_saved asks to save the event first)', () => {
    const { unmount } = renderInFluent(<NoLoanView reason={{ code: 'not_saved' }} l10n={french} />);
    expect(screen.getByText(/Enregistrez d’abord l’événement/)).toBeInTheDocument();
    unmount();
    renderInFluent(<NoLoanView reason={{ code: 'not_saved' }} l10n={english} />);
    expect(screen.getByText(/Save the event first/)).toBeInTheDocument();
  });

  it('A2: an unknown code from a newer server reads as the generic reason, with its message', () => {
    renderInFluent(
      <NoLoanView
        reason={{ code: 'brand_new' as NoLoanReasonCode, message: 'Organisateur hors domaine' }}
        l10n={french}
      />,
    );
    expect(screen.getByText(french.strings.noLoan.reasons.other)).toBeInTheDocument();
    expect(screen.getByText(/Organisateur hors domaine/)).toBeInTheDocument();
  });

  it('A2: the refresh button asks again; not offered for an unsaved event', () => {
    const onRefresh = jest.fn();
    const { unmount } = renderInFluent(
      <NoLoanView reason={{ code: 'no_synced_room' }} l10n={english} onRefresh={onRefresh} />,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    expect(onRefresh).toHaveBeenCalledTimes(1);
    unmount();
    renderInFluent(<NoLoanView reason={{ code: 'not_saved' }} l10n={english} onRefresh={onRefresh} />);
    expect(screen.queryByRole('button')).not.toBeInTheDocument();
  });

  describe('A2: "syncing" refreshes itself', () => {
    beforeEach(() => jest.useFakeTimers());
    afterEach(() => jest.useRealTimers());

    it('A2: calls refresh every few seconds while syncing, and stops when unmounted', () => {
      const onRefresh = jest.fn();
      const { unmount } = renderInFluent(
        <NoLoanView
          reason={{ code: 'syncing' }}
          l10n={french}
          onRefresh={onRefresh}
          syncingRefreshMs={3000}
        />,
      );
      act(() => jest.advanceTimersByTime(3000));
      expect(onRefresh).toHaveBeenCalledTimes(1);
      act(() => jest.advanceTimersByTime(6000));
      expect(onRefresh).toHaveBeenCalledTimes(3);
      unmount();
      act(() => jest.advanceTimersByTime(9000));
      expect(onRefresh).toHaveBeenCalledTimes(3);
    });

    it('A2: other reasons do not refresh by themselves', () => {
      const onRefresh = jest.fn();
      renderInFluent(<NoLoanView reason={{ code: 'room_declined' }} l10n={french} onRefresh={onRefresh} />);
      act(() => jest.advanceTimersByTime(30_000));
      expect(onRefresh).not.toHaveBeenCalled();
    });
  });
});
