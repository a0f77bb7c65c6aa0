import {
  Badge,
  Table,
  TableBody,
  TableCell,
  TableHeader,
  TableHeaderCell,
  TableRow,
} from '@fluentui/react-components';
import { useCallback } from 'react';
import type { AdminApi } from '../api';
import type { Localization } from '../i18n';
import { ErrorBar, Loading, RefreshButton, Section, useCommonStyles, useResource } from './common';

/** R1: the places, those imported from Exchange among them; inactive ones greyed. */
export function PlacesTab({ api, l10n }: { api: AdminApi; l10n: Localization }) {
  const styles = useCommonStyles();
  const t = l10n.strings.places;
  const c = l10n.strings.common;
  const places = useResource(useCallback(() => api.places(), [api]));
  const rows = [...(places.data ?? [])].sort(
    (a, b) => Number(b.active) - Number(a.active) || a.name.localeCompare(b.name, l10n.locale),
  );
  return (
    <Section title={t.heading} tools={<RefreshButton l10n={l10n} onClick={places.reload} />}>
      {places.error ? <ErrorBar error={places.error} l10n={l10n} /> : null}
      {places.loading && !places.data ? <Loading l10n={l10n} /> : null}
      {places.data ? (
        <div className={styles.tableWrap}>
          <Table size="small" className={styles.table} aria-label={t.heading} data-testid="places-table">
            <TableHeader>
              <TableRow>
                <TableHeaderCell>{t.name}</TableHeaderCell>
                <TableHeaderCell>{t.email}</TableHeaderCell>
                <TableHeaderCell>{t.building}</TableHeaderCell>
                <TableHeaderCell>{t.capacity}</TableHeaderCell>
                <TableHeaderCell>{t.active}</TableHeaderCell>
                <TableHeaderCell>{t.synced}</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {rows.map((place) => (
                <TableRow
                  key={place.id}
                  className={place.active ? undefined : styles.inactive}
                  data-active={place.active}
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
                </TableRow>
              ))}
              {rows.length === 0 ? (
                <TableRow>
                  <TableCell colSpan={6}>{c.empty}</TableCell>
                </TableRow>
              ) : null}
            </TableBody>
          </Table>
        </div>
      ) : null}
    </Section>
  );
}
