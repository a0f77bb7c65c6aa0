import { Body1, Button, Field, Input, Subtitle1, makeStyles, tokens } from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import { createAdminApi } from '../api';
import type { Localization } from '../i18n';
import { ErrorBar } from './common';

export interface SignInProps {
  l10n: Localization;
  /** Checks a token against the server; resolves when the server accepts it. */
  check: (token: string) => Promise<unknown>;
  onSignedIn: (token: string) => void;
  /** Why the admin is asked again (a token the server stopped accepting). */
  notice?: string;
}

const useStyles = makeStyles({
  form: {
    display: 'flex',
    flexDirection: 'column',
    rowGap: tokens.spacingVerticalM,
    maxWidth: '420px',
    padding: tokens.spacingHorizontalXL,
    borderRadius: tokens.borderRadiusMedium,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  heading: { margin: 0 },
});

/** The sign-in step: the admin token, checked by asking the server before it is kept. */
export function SignIn({ l10n, check, onSignedIn, notice }: SignInProps) {
  const styles = useStyles();
  const t = l10n.strings.signIn;
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [missing, setMissing] = useState(false);
  const [error, setError] = useState<unknown>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const value = token.trim();
    setError(undefined);
    if (!value) {
      setMissing(true);
      return;
    }
    setMissing(false);
    setBusy(true);
    try {
      await check(value);
      onSignedIn(value);
    } catch (failure) {
      setError(failure);
      setBusy(false);
    }
  };

  return (
    <form className={styles.form} onSubmit={submit} aria-labelledby="sign-in-heading" noValidate>
      <Subtitle1 as="h2" id="sign-in-heading" className={styles.heading}>
        {t.heading}
      </Subtitle1>
      <Body1 as="p">{notice ?? t.intro}</Body1>
      <Field label={t.token} required validationMessage={missing ? t.required : undefined}>
        <Input
          type="password"
          autoComplete="current-password"
          value={token}
          onChange={(_e, data) => setToken(data.value)}
        />
      </Field>
      {error ? <ErrorBar error={error} l10n={l10n} /> : null}
      <Button appearance="primary" type="submit" disabled={busy}>
        {busy ? t.checking : t.submit}
      </Button>
    </form>
  );
}

/** The default check: the integration settings answer only to a valid admin token. */
export const checkToken =
  (base?: string, fetcher?: typeof fetch) =>
  (token: string): Promise<unknown> =>
    createAdminApi({ base, token, fetch: fetcher }).integration();
