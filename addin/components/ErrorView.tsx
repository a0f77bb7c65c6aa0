import { Body1, Button, Subtitle1, makeStyles, tokens } from '@fluentui/react-components';
import { useId } from 'react';
import type { ApiErrorKind } from '../api';
import type { Localization } from '../i18n';

export interface ErrorViewProps {
  error: ApiErrorKind;
  l10n: Localization;
  /** Asks again (server unreachable, busy). */
  onRetry: () => void;
  /** Signs in interactively, then asks again (sign-in needed). */
  onSignIn: () => void;
}

const useStyles = makeStyles({
  box: {
    display: 'flex',
    flexDirection: 'column',
    rowGap: tokens.spacingVerticalS,
    alignItems: 'flex-start',
  },
  heading: { margin: 0 },
});

/** Errors a user can act on: sign in, or try again. */
export function ErrorView({ error, l10n, onRetry, onSignIn }: ErrorViewProps) {
  const styles = useStyles();
  const headingId = useId();
  const t = l10n.strings.errors;
  const [title, text] =
    error === 'sign_in'
      ? [t.signInTitle, t.signInText]
      : error === 'busy'
        ? [t.busyTitle, t.busyText]
        : [t.unreachableTitle, t.unreachableText];
  return (
    <section
      className={styles.box}
      role="alert"
      aria-labelledby={headingId}
      data-testid="error"
      data-error={error}
    >
      <Subtitle1 as="h2" id={headingId} className={styles.heading}>
        {title}
      </Subtitle1>
      <Body1 as="p">{text}</Body1>
      {error === 'sign_in' ? (
        <Button appearance="primary" onClick={onSignIn}>
          {t.signIn}
        </Button>
      ) : (
        <Button appearance="primary" onClick={onRetry}>
          {t.retry}
        </Button>
      )}
    </section>
  );
}
