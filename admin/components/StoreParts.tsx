import { Button, Field, Input, Select } from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import type { AdminApi } from '../api';
import type { Localization } from '../i18n';
import type { Place, Store } from '../../contract/hector';
import { ErrorBar, useCommonStyles } from './common';

/** A place's store, changed on the spot: the place moves to the chosen store (K2: its options). */
export function PlaceStoreSelect({
  api,
  l10n,
  place,
  stores,
  onMoved,
}: {
  api: AdminApi;
  l10n: Localization;
  place: Place;
  stores: Store[];
  onMoved: (place: Place, store: Store) => void;
}) {
  const t = l10n.strings.places;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const move = async (storeId: string) => {
    const store = stores.find((s) => s.id === storeId);
    if (!store || storeId === place.storeId) return;
    setBusy(true);
    setError(undefined);
    try {
      onMoved(await api.updatePlace(place.id, { storeId }), store);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Select
        size="small"
        aria-label={t.storeOf(place.name)}
        value={place.storeId}
        disabled={busy}
        onChange={(_e, d) => void move(d.value)}
      >
        {stores.map((store) => (
          <option key={store.id} value={store.id}>
            {store.name}
          </option>
        ))}
      </Select>
      {error ? <ErrorBar error={error} l10n={l10n} /> : null}
    </>
  );
}

/** A new store by its name; its booking options are then set with "edit" like any store's. */
export function NewStoreForm({
  api,
  l10n,
  onCreated,
}: {
  api: AdminApi;
  l10n: Localization;
  onCreated: (store: Store) => void;
}) {
  const styles = useCommonStyles();
  const t = l10n.strings.places;
  const [name, setName] = useState('');
  const [problem, setProblem] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setError(undefined);
    if (!name.trim()) {
      setProblem(l10n.strings.common.required);
      return;
    }
    setProblem(undefined);
    setBusy(true);
    try {
      onCreated(await api.createStore({ name: name.trim() }));
      setName('');
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className={styles.row} onSubmit={submit} noValidate aria-label={t.newStore}>
      <Field label={t.storeName} required validationMessage={problem}>
        <Input value={name} onChange={(_e, d) => setName(d.value)} />
      </Field>
      <Button type="submit" disabled={busy}>
        {t.createStore}
      </Button>
      {error ? <ErrorBar error={error} l10n={l10n} /> : null}
    </form>
  );
}
