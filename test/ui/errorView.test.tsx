import '@testing-library/jest-dom';
import { fireEvent, screen } from '@testing-library/react';
import { ErrorView } from '../../addin/components/ErrorView';
import { Loading } from '../../addin/components/Loading';
import { english, french, languages, renderInFluent } from './fixtures';

describe('errors the user can act on, and loading', () => {
  describe.each(languages)('in %s', (_language, l10n) => {
    it('sign-in needed: an alert with a focusable sign-in button that signs in', () => {
      const onSignIn = jest.fn();
      const onRetry = jest.fn();
      renderInFluent(<ErrorView error="sign_in" l10n={l10n} onRetry={onRetry} onSignIn={onSignIn} />);
      expect(screen.getByRole('alert')).toHaveTextContent(l10n.strings.errors.signInTitle);
      const button = screen.getByRole('button', { name: l10n.strings.errors.signIn });
      button.focus();
      expect(button).toHaveFocus();
      fireEvent.click(button);
      expect(onSignIn).toHaveBeenCalledTimes(1);
      expect(onRetry).not.toHaveBeenCalled();
    });

    it('server unreachable: an alert with a retry button that asks again', () => {
      const onRetry = jest.fn();
      renderInFluent(<ErrorView error="unreachable" l10n={l10n} onRetry={onRetry} onSignIn={jest.fn()} />);
      expect(screen.getByRole('alert')).toHaveTextContent(l10n.strings.errors.unreachableTitle);
      fireEvent.click(screen.getByRole('button', { name: l10n.strings.errors.retry }));
      expect(onRetry).toHaveBeenCalledTimes(1);
    });

    it('rate-limited: says Hector is busy, with retry', () => {
      const onRetry = jest.fn();
      renderInFluent(<ErrorView error="busy" l10n={l10n} onRetry={onRetry} onSignIn={jest.fn()} />);
      expect(screen.getByRole('alert')).toHaveTextContent(l10n.strings.errors.busyTitle);
      fireEvent.click(screen.getByRole('button', { name: l10n.strings.errors.retry }));
      expect(onRetry).toHaveBeenCalledTimes(1);
    });

    it('loading: a spinner with a label', () => {
      renderInFluent(<Loading l10n={l10n} />);
      expect(screen.getByText(l10n.strings.loading)).toBeInTheDocument();
    });
  });

  it('buttons read "Se connecter" / "Réessayer" in French and "Sign in" / "Try again" in English', () => {
    const { unmount } = renderInFluent(
      <>
        <ErrorView error="sign_in" l10n={french} onRetry={jest.fn()} onSignIn={jest.fn()} />
        <ErrorView error="unreachable" l10n={french} onRetry={jest.fn()} onSignIn={jest.fn()} />
      </>,
    );
    expect(screen.getByRole('button', { name: 'Se connecter' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Réessayer' })).toBeInTheDocument();
    unmount();
    renderInFluent(
      <>
        <ErrorView error="sign_in" l10n={english} onRetry={jest.fn()} onSignIn={jest.fn()} />
        <ErrorView error="unreachable" l10n={english} onRetry={jest.fn()} onSignIn={jest.fn()} />
      </>,
    );
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });
});
