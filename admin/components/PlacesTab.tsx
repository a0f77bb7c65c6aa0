import { Badge, Button, TableCell, TableRow } from '@fluentui/react-components';
import { useCallback, useState } from 'react';
import type { AdminApi } from '../api';
import { describeSchedule } from '../bookingOptions';
import type { Localization } from '../i18n';
import type { Place, Store } from '../../contract/hector';
import {
  DataTable,
  ErrorBar,
  Loading,
  Notice,
  RefreshButton,
  Section,
  useCommonStyles,
  useResource,
} from './common';
import { AssetsSection } from './AssetsSection';
import { PlaceOptionsPanel } from './PlaceOptionsPanel';
import { StoreSettingsPanel } from './StoreSettingsPanel';
import { NewStoreForm, PlaceStoreSelect } from './StoreParts';

/**
 * R1: the places, those imported from Exchange among them; inactive ones greyed. R2/K1/K2: their
 * booking options and their stores', set here by hand.
 */
export function PlacesTab({ api, l10n }: { api: AdminApi; l10n: Localization }) {
  const styles = useCommonStyles();
  const t = l10n.strings.places;
  const b = l10n.strings.booking;
  const c = l10n.strings.common;
  const places = useResource(useCallback(() => api.places(), [api]));
  const stores = useResource(useCallback(() => api.stores(), [api]));
  const [editing, setEditing] = useState<Place>();
  const [editingStore, setEditingStore] = useState<Store>();
  const [saved, setSaved] = useState<string>();
  const rows = [...(places.data ?? [])].sort(
    (a, b) => Number(b.active) - Number(a.active) || a.name.localeCompare(b.name, l10n.locale),
  );
  const storeOf = (place: Place) =>
    stores.data?.find((s) => s.id === place.storeId) ??
    (stores.data?.length === 1 ? stores.data[0] : stores.data?.find((s) => s.isDefault));

  const minutes = (n: number | null | undefined) => (n == null ? b.noLimit : b.minutes(n));
  const onOff = (v: boolean | null | undefined) => (v == null ? c.none : v ? b.on : b.off);
  const schedule = (s: Store['schedule'] | undefined) =>
    s ? describeSchedule(s, b.shortDays, b.closed) : b.alwaysOpen;

  const options = (place: Place) => {
    const store = storeOf(place);
    const inherited = (own: string | undefined, storeValue: string) =>
      own ?? (store ? b.storeValue(storeValue) : c.none);
    return [
      `${b.maxDuration}: ${inherited(
        place.maxDurationMinutes == null ? undefined : minutes(place.maxDurationMinutes),
        minutes(store?.maxDurationMinutes),
      )}`,
      `${b.schedule}: ${inherited(place.schedule ? schedule(place.schedule) : undefined, schedule(store?.schedule))}`,
      `${b.autoCheckOut}: ${inherited(
        place.autoCheckOut == null ? undefined : onOff(place.autoCheckOut),
        onOff(store?.autoCheckOut),
      )}`,
      `${b.autoClose}: ${inherited(
        place.autoClose == null ? undefined : onOff(place.autoClose),
        onOff(store?.autoClose),
      )}`,
    ];
  };

  return (
    <div className={styles.section}>
      <Notice intent="info">
        {b.hint} {b.hintK1}
      </Notice>
      {saved ? <Notice intent="success">{saved}</Notice> : null}
      <Section title={t.heading} tools={<RefreshButton l10n={l10n} onClick={places.reload} />}>
        {places.error ? <ErrorBar error={places.error} l10n={l10n} /> : null}
        {places.loading && !places.data ? <Loading l10n={l10n} /> : null}
        {editing ? (
          <PlaceOptionsPanel
            api={api}
            l10n={l10n}
            place={editing}
            store={storeOf(editing)}
            onClose={() => setEditing(undefined)}
            onSaved={(place) => {
              setEditing(undefined);
              setSaved(b.saved(place.name));
              places.refresh();
            }}
          />
        ) : null}
        {places.data ? (
          <DataTable
            label={t.heading}
            testId="places-table"
            headers={[
              t.name,
              t.email,
              t.building,
              t.capacity,
              t.active,
              t.synced,
              b.options,
              b.store,
              l10n.strings.loans.actions,
            ]}
          >
            {rows.map((place) => (
              <TableRow
                key={place.id}
                className={place.active ? undefined : styles.inactive}
                data-active={place.active}
                data-place-id={place.id}
              >
                <TableCell>{place.name}</TableCell>
                <TableCell>{place.email ?? c.none}</TableCell>
                <TableCell>{place.building ?? c.none}</TableCell>
                <TableCell>{place.capacity ?? c.none}</TableCell>
                <TableCell>
                  {place.active ? (
                    c.yes
                  ) : (
                    <Badge appearance="outline" color="subtle">
                      {t.inactive}
                    </Badge>
                  )}
                </TableCell>
                <TableCell>{place.synced ? c.yes : c.no}</TableCell>
                <TableCell data-testid="place-options">
                  <ul className={styles.plainList}>
                    {options(place).map((line) => (
                      <li key={line}>{line}</li>
                    ))}
                  </ul>
                </TableCell>
                <TableCell>
                  {stores.data ? (
                    <PlaceStoreSelect
                      api={api}
                      l10n={l10n}
                      place={place}
                      stores={stores.data}
                      onMoved={(moved, store) => {
                        setSaved(t.moved(moved.name, store.name));
                        places.refresh();
                      }}
                    />
                  ) : (
                    c.none
                  )}
                </TableCell>
                <TableCell>
                  <Button
                    size="small"
                    aria-label={b.editOf(place.name)}
                    onClick={() => {
                      setSaved(undefined);
                      setEditing(place);
                    }}
                  >
                    {b.edit}
                  </Button>
                </TableCell>
              </TableRow>
            ))}
            {rows.length === 0 ? (
              <TableRow>
                <TableCell colSpan={9}>{c.empty}</TableCell>
              </TableRow>
            ) : null}
          </DataTable>
        ) : null}
      </Section>

      <Section
        title={b.storesHeading}
        headingLevel="h2"
        tools={<RefreshButton l10n={l10n} onClick={stores.reload} />}
      >
        <NewStoreForm
          api={api}
          l10n={l10n}
          onCreated={(store) => {
            setSaved(t.storeCreated(store.name));
            stores.refresh();
          }}
        />
        {stores.error ? <ErrorBar error={stores.error} l10n={l10n} /> : null}
        {stores.loading && !stores.data ? <Loading l10n={l10n} /> : null}
        {editingStore ? (
          <StoreSettingsPanel
            api={api}
            l10n={l10n}
            store={editingStore}
            onClose={() => setEditingStore(undefined)}
            onSaved={(store) => {
              setEditingStore(undefined);
              setSaved(b.storeSaved(store.name));
              stores.refresh();
            }}
          />
        ) : null}
        {stores.data ? (
          <DataTable
            label={b.storesHeading}
            testId="stores-table"
            headers={[
              b.store,
              b.timeZone,
              b.bookingWindow,
              b.maxDuration,
              b.schedule,
              b.autoCheckOut,
              b.autoClose,
              l10n.strings.loans.actions,
            ]}
          >
            {stores.data.map((store) => (
              <TableRow key={store.id} data-store-id={store.id}>
                <TableCell>
                  {store.name}
                  {store.isDefault ? ` (${b.defaultStore})` : ''}
                </TableCell>
                <TableCell>{store.timeZone ?? c.none}</TableCell>
                <TableCell>
                  {store.bookingWindowDays == null ? b.noLimit : b.dayCount(store.bookingWindowDays)}
                </TableCell>
                <TableCell>{minutes(store.maxDurationMinutes)}</TableCell>
                <TableCell>{schedule(store.schedule)}</TableCell>
                <TableCell>{onOff(store.autoCheckOut)}</TableCell>
                <TableCell>{onOff(store.autoClose)}</TableCell>
                <TableCell>
                  <Button
                    size="small"
                    aria-label={b.editStoreOf(store.name)}
                    onClick={() => {
                      setSaved(undefined);
                      setEditingStore(store);
                    }}
                  >
                    {b.editStore}
                  </Button>
                </TableCell>
              </TableRow>
            ))}
          </DataTable>
        ) : null}
      </Section>
      <AssetsSection api={api} l10n={l10n} onSaved={setSaved} />
    </div>
  );
}
