import { Badge, TableCell, TableRow } from '@fluentui/react-components';
import { useCallback } from 'react';
import type { AdminApi } from '../api';
import { formatDateTime, type BadgeColor } from '../format';
import type { Localization } from '../i18n';
import type { Gap, Room, Subscription } from '../../contract/admin';
import { DataTable, ErrorBar, Loading, RefreshButton, Section, useCommonStyles, useResource } from './common';

/** Subscriptions are renewed well before expiry: one due within a day is worth a look. */
const EXPIRING_MS = 24 * 3_600_000;

type State = 'active' | 'expiring' | 'expired' | 'missing';
const STATE_COLOR: Record<State, BadgeColor> = {
  active: 'success',
  expiring: 'warning',
  expired: 'danger',
  missing: 'danger',
};

export function subscriptionState(subscription: Subscription | undefined, now: Date): State {
  if (!subscription) return 'missing';
  const left = new Date(subscription.expiresAt).getTime() - now.getTime();
  return left <= 0 ? 'expired' : left < EXPIRING_MS ? 'expiring' : 'active';
}

interface Row {
  email: string;
  name: string;
  subscription?: Subscription;
}

/** One row per active room (and per subscription of a room no longer active). */
function rowsOf(rooms: Room[], subscriptions: Subscription[]): Row[] {
  const byRoom = new Map(subscriptions.map((s) => [s.roomEmail.toLowerCase(), s]));
  const rows: Row[] = rooms
    .filter((r) => r.active)
    .map((r) => ({ email: r.email, name: r.name, subscription: byRoom.get(r.email.toLowerCase()) }));
  const shown = new Set(rows.map((r) => r.email.toLowerCase()));
  for (const s of subscriptions) {
    if (!shown.has(s.roomEmail.toLowerCase())) rows.push({ email: s.roomEmail, name: '', subscription: s });
  }
  return rows.sort((a, b) => a.email.localeCompare(b.email));
}

/** E1: each synced room's subscription and when it expires; the gaps reconcile fills (B2). */
export function SubscriptionsTab({
  api,
  l10n,
  now = () => new Date(),
}: {
  api: AdminApi;
  l10n: Localization;
  now?: () => Date;
}) {
  const styles = useCommonStyles();
  const t = l10n.strings.subscriptions;
  const load = useCallback(
    async (): Promise<[Subscription[], Room[], Gap[]]> =>
      Promise.all([api.subscriptions(), api.rooms(), api.gaps()]),
    [api],
  );
  const resource = useResource(load);
  if (resource.error && !resource.data) return <ErrorBar error={resource.error} l10n={l10n} />;
  if (!resource.data) return <Loading l10n={l10n} />;
  const [subscriptions, rooms, gaps] = resource.data;
  const rows = rowsOf(rooms, subscriptions);
  const at = now();
  const names = new Map(rooms.map((r) => [r.email.toLowerCase(), r.name]));

  return (
    <div className={styles.section}>
      <Section title={t.heading} tools={<RefreshButton l10n={l10n} onClick={resource.reload} />}>
        {resource.error ? <ErrorBar error={resource.error} l10n={l10n} /> : null}
        <DataTable label={t.heading} testId="subscriptions-table" headers={[t.room, t.expires, t.state]}>
          {rows.map((row) => {
            const state = subscriptionState(row.subscription, at);
            return (
              <TableRow key={row.email} data-state={state}>
                <TableCell>
                  <div>{row.name || row.email}</div>
                  {row.name ? <div className={styles.muted}>{row.email}</div> : null}
                </TableCell>
                <TableCell>{formatDateTime(row.subscription?.expiresAt, l10n)}</TableCell>
                <TableCell>
                  <Badge appearance="tint" color={STATE_COLOR[state]}>
                    {t.states[state]}
                  </Badge>
                </TableCell>
              </TableRow>
            );
          })}
          {rows.length === 0 ? (
            <TableRow>
              <TableCell colSpan={3}>{l10n.strings.common.empty}</TableCell>
            </TableRow>
          ) : null}
        </DataTable>
      </Section>
      <Section title={t.gapsHeading} headingLevel="h3">
        {gaps.length === 0 ? (
          <p className={styles.muted}>{t.noGaps}</p>
        ) : (
          <DataTable
            label={t.gapsHeading}
            testId="gaps-table"
            headers={[t.room, t.from, t.to, t.reason, t.resolved]}
          >
            {gaps.map((gap) => (
              <TableRow key={gap.id}>
                <TableCell>{names.get(gap.roomEmail.toLowerCase()) ?? gap.roomEmail}</TableCell>
                <TableCell>{formatDateTime(gap.from, l10n)}</TableCell>
                <TableCell>{formatDateTime(gap.to, l10n)}</TableCell>
                <TableCell>{gap.reason}</TableCell>
                <TableCell>
                  {gap.resolvedAt ? (
                    formatDateTime(gap.resolvedAt, l10n)
                  ) : (
                    <Badge appearance="tint" color="warning">
                      {t.open}
                    </Badge>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </DataTable>
        )}
      </Section>
    </div>
  );
}
