import { Button, Field, Input, Select, Switch, makeStyles, tokens } from '@fluentui/react-components';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { AdminApi } from '../api';
import { AdminApiError } from '../api';
import { formatDateTime } from '../format';
import type { Localization } from '../i18n';
import type { ConnectionReport, SettingsView, SyncReport } from '../../contract/admin';
import type { Store } from '../../contract/hector';
import { ErrorBar, Loading, Notice, Section, useCommonStyles, useResource } from './common';
import { RoomRemovalReview } from './RoomRemovalReview';

const useStyles = makeStyles({
  form: { display: 'grid', rowGap: tokens.spacingVerticalM, maxWidth: '640px' },
  buttons: { display: 'flex', columnGap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
});

interface FormState {
  primaryDomain: string;
  clientId: string;
  clientSecret: string;
  defaultStoreId: string;
  defaultUserEmail: string;
  ignoredTags: string;
  enabled: boolean;
  /** YYYY-MM-DD, or '' when not known. */
  secretExpiresAt: string;
}

/** The saved expiry as the date input shows it (UTC: the day the admin entered is stored at 00:00 UTC). */
const expiryDate = (iso: string | null | undefined): string => (iso ? iso.slice(0, 10) : '');

const toForm = (s: SettingsView): FormState => ({
  primaryDomain: s.primaryDomain ?? '',
  clientId: s.clientId ?? '',
  clientSecret: '',
  defaultStoreId: s.defaultStoreId === null || s.defaultStoreId === undefined ? '' : String(s.defaultStoreId),
  defaultUserEmail: s.defaultUserEmail ?? '',
  ignoredTags: s.ignoredTags ?? '',
  enabled: s.configured === false ? true : s.enabled,
  secretExpiresAt: expiryDate(s.secretExpiresAt),
});

/** The outcome of a connection test: OK, or each missing permission and what it breaks (S2). */
export function ConnectionResult({ connection, l10n }: { connection: ConnectionReport; l10n: Localization }) {
  const styles = useCommonStyles();
  const t = l10n.strings.integration;
  const when = connection.testedAt ? t.lastTest(formatDateTime(connection.testedAt, l10n)) : undefined;
  if (connection.ok && connection.missingPermissions.length === 0) {
    return (
      <Notice intent="success" title={t.connectionOk}>
        {when}
      </Notice>
    );
  }
  return (
    <Notice
      intent="warning"
      title={
        connection.missingPermissions.length === 0 && connection.outsideAccessPolicy?.length
          ? t.connectionOutsidePolicy
          : t.connectionMissing
      }
    >
      <ul className={styles.list} data-testid="missing-permissions">
        {connection.missingPermissions.map((m) => (
          <li key={m.permission}>
            <strong>{m.permission}</strong> — {m.breaks}
          </li>
        ))}
      </ul>
      {connection.missingPermissions.length === 0 ? connection.message : null}
      {when ? <div>{when}</div> : null}
    </Notice>
  );
}

function SyncResult({ sync, l10n }: { sync: SyncReport; l10n: Localization }) {
  const t = l10n.strings.integration;
  if (sync.error) {
    return (
      <ErrorBar
        title={t.syncFailed}
        error={new AdminApiError(500, sync.error.code, sync.error.message)}
        l10n={l10n}
      />
    );
  }
  const s = sync.subscriptions;
  return (
    <Notice intent="info" title={t.syncDone}>
      {sync.rooms ? <div>{t.syncRooms(sync.rooms.active.length, sync.rooms.deactivated.length)}</div> : null}
      {s ? (
        <div>
          {t.syncSubscriptions(s.created.length + s.recreated.length, s.renewed.length, s.failed.length)}
        </div>
      ) : null}
    </Notice>
  );
}

/** S1: the six settings and the switch; saving tests the connection and starts the sync (S3). */
export function IntegrationTab({ api, l10n }: { api: AdminApi; l10n: Localization }) {
  const styles = useStyles();
  const t = l10n.strings.integration;
  const load = useCallback(
    async (): Promise<[SettingsView, Store[]]> =>
      Promise.all([api.integration(), api.stores().catch(() => [] as Store[])]),
    [api],
  );
  const resource = useResource(load);
  const [form, setForm] = useState<FormState>();
  const [settings, setSettings] = useState<SettingsView>();
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState<'save' | 'sync'>();
  const [error, setError] = useState<unknown>();
  const [sync, setSync] = useState<SyncReport>();
  const [justSaved, setJustSaved] = useState(false);
  const [backfill, setBackfill] = useState(false);
  // Each sync may hold a room removal back: the review is read again after each one.
  const [syncs, setSyncs] = useState(0);

  useEffect(() => {
    if (!resource.data) return;
    setSettings(resource.data[0]);
    setForm(toForm(resource.data[0]));
  }, [resource.data]);

  if (resource.error && !resource.data) return <ErrorBar error={resource.error} l10n={l10n} />;
  if (!form || !settings || !resource.data) return <Loading l10n={l10n} />;
  const stores = resource.data[1];

  const set = <K extends keyof FormState>(key: K, value: FormState[K]) =>
    setForm((f) => (f ? { ...f, [key]: value } : f));
  const missing = {
    primaryDomain: !form.primaryDomain.trim(),
    clientId: !form.clientId.trim(),
    clientSecret: !form.clientSecret && !settings.clientSecretSet,
  };
  const fieldError = (key: keyof typeof missing) => (touched && missing[key] ? t.required : undefined);

  const save = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    setJustSaved(false);
    setBackfill(false);
    if (Object.values(missing).some(Boolean)) return;
    // Sent only when changed: left out, the server keeps the saved date (or forgets it with a new secret).
    const expiry =
      form.secretExpiresAt === expiryDate(settings.secretExpiresAt) ? undefined : form.secretExpiresAt;
    setBusy('save');
    setError(undefined);
    setSync(undefined);
    try {
      const saved = await api.saveIntegration({
        primaryDomain: form.primaryDomain.trim(),
        clientId: form.clientId.trim(),
        ...(form.clientSecret ? { clientSecret: form.clientSecret } : {}),
        defaultStoreId: form.defaultStoreId || null,
        defaultUserEmail: form.defaultUserEmail.trim() || null,
        ignoredTags: form.ignoredTags,
        enabled: form.enabled,
        ...(expiry === undefined ? {} : { secretExpiresAt: expiry || null }),
      });
      setSettings(saved);
      setForm(toForm(saved));
      setTouched(false);
      setJustSaved(true);
      setBackfill(Boolean(saved.backfill));
      if (saved.sync) setSync(saved.sync);
      setSyncs((n) => n + 1);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(undefined);
    }
  };

  const syncNow = async () => {
    setBusy('sync');
    setError(undefined);
    setSync(undefined);
    try {
      setSync(await api.syncNow());
      setSyncs((n) => n + 1);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <Section title={t.heading}>
      {settings.configured ? <RoomRemovalReview key={syncs} api={api} l10n={l10n} /> : null}
      <form className={styles.form} onSubmit={save} noValidate aria-label={t.heading}>
        <Field
          label={t.primaryDomain}
          hint={t.primaryDomainHint}
          required
          validationMessage={fieldError('primaryDomain')}
        >
          <Input value={form.primaryDomain} onChange={(_e, d) => set('primaryDomain', d.value)} />
        </Field>
        <Field label={t.clientId} required validationMessage={fieldError('clientId')}>
          <Input value={form.clientId} onChange={(_e, d) => set('clientId', d.value)} />
        </Field>
        <Field
          label={t.clientSecret}
          required={!settings.clientSecretSet}
          hint={settings.clientSecretSet ? t.secretSaved : t.secretMissing}
          validationMessage={fieldError('clientSecret')}
        >
          <Input
            type="password"
            autoComplete="new-password"
            value={form.clientSecret}
            onChange={(_e, d) => set('clientSecret', d.value)}
          />
        </Field>
        <Field label={t.secretExpiresAt} hint={t.secretExpiresHint}>
          <Input
            type="date"
            value={form.secretExpiresAt}
            onChange={(_e, d) => set('secretExpiresAt', d.value)}
          />
        </Field>
        <Field label={t.defaultStore}>
          <Select value={form.defaultStoreId} onChange={(_e, d) => set('defaultStoreId', d.value)}>
            <option value="">{t.noStore}</option>
            {stores.map((store) => (
              <option key={store.id} value={store.id}>
                {store.name}
              </option>
            ))}
            {form.defaultStoreId && !stores.some((s) => s.id === form.defaultStoreId) ? (
              <option value={form.defaultStoreId}>{form.defaultStoreId}</option>
            ) : null}
          </Select>
        </Field>
        <Field label={t.defaultUser} hint={t.defaultUserHint}>
          <Input
            type="email"
            value={form.defaultUserEmail}
            onChange={(_e, d) => set('defaultUserEmail', d.value)}
          />
        </Field>
        <Field label={t.ignoredTags} hint={t.ignoredTagsHint}>
          <Input value={form.ignoredTags} onChange={(_e, d) => set('ignoredTags', d.value)} />
        </Field>
        <Switch label={t.enabled} checked={form.enabled} onChange={(_e, d) => set('enabled', d.checked)} />
        <div className={styles.buttons}>
          <Button appearance="primary" type="submit" disabled={busy !== undefined}>
            {busy === 'save' ? t.saving : t.save}
          </Button>
          <Button
            appearance="secondary"
            onClick={syncNow}
            disabled={busy !== undefined || !settings.configured}
          >
            {busy === 'sync' ? t.syncing : t.syncNow}
          </Button>
        </div>
      </form>
      <div aria-live="polite" data-testid="integration-result">
        {error ? <ErrorBar error={error} l10n={l10n} /> : null}
        {justSaved ? <Notice intent="success" title={t.saved} /> : null}
        {justSaved && backfill ? <Notice intent="info">{t.backfillQueued}</Notice> : null}
        {!error && settings.connection ? (
          <ConnectionResult connection={settings.connection} l10n={l10n} />
        ) : null}
        {sync ? <SyncResult sync={sync} l10n={l10n} /> : null}
      </div>
    </Section>
  );
}
