import { Badge, TableCell, TableRow } from '@fluentui/react-components';
import { useCallback } from 'react';
import type { AdminStatus, DeadLetter, LagFigures, SubscriptionState } from '../../../contract/admin';
import type { AdminApi } from '../../api';
import { formatDateTime, type BadgeColor } from '../../format';
import type { Localization } from '../../i18n';
import {
  DataTable,
  ErrorBar,
  Loading,
  Notice,
  RefreshButton,
  Section,
  useCommonStyles,
  useResource,
} from '../common';
import { DeadLettersPanel } from './DeadLettersPanel';
import { ResyncPanel } from './ResyncPanel';

const STATE_COLOR: Record<SubscriptionState, BadgeColor> = {
  active: 'success',
  expiring: 'warning',
  expired: 'danger',
  missing: 'danger',
};
const DAY_MS = 24 * 3_600_000;

/** Every warning of the status, in the admin's language (the secret's, rooms', dead letters'). */
export function warningsOf(status: AdminStatus, l10n: Localization): string[] {
  const t = l10n.strings.status;
  const warnings: string[] = [];
  const { secretExpiresAt, warning } = status.credentials;
  if (warning && secretExpiresAt) {
    const day = formatDateTime(secretExpiresAt, l10n).split(' ')[0];
    const left = new Date(secretExpiresAt).getTime() - new Date(status.checkedAt).getTime();
    warnings.push(left <= 0 ? t.secretExpired(day) : t.secretExpires(day, Math.ceil(left / DAY_MS)));
  }
  for (const room of status.rooms.filter((r) => r.active)) {
    if (room.subscription.state !== 'active') {
      warnings.push(
        t.subscriptionWarning(
          room.name || room.email,
          l10n.strings.subscriptions.states[room.subscription.state],
        ),
      );
    }
    if (room.errors > 0) warnings.push(t.roomErrors(room.name || room.email, room.errors));
  }
  if (status.queue.deadLetters > 0) warnings.push(t.deadLetterWarning(status.queue.deadLetters));
  return warnings;
}

function lagText(figures: LagFigures, l10n: Localization): string {
  const t = l10n.strings.status;
  if (figures.count === 0 || figures.p50Ms === null || figures.p95Ms === null) return t.noLag;
  const seconds = (ms: number) =>
    `${new Intl.NumberFormat(l10n.locale, { maximumFractionDigits: 1 }).format(ms / 1000)} s`;
  return t.lagFigures(seconds(figures.p50Ms), seconds(figures.p95Ms), figures.count);
}

/** Issue 15: the rooms' health, the queues, the lag, the warnings, dead letters and the re-sync. */
export function StatusTab({ api, l10n, pollMs }: { api: AdminApi; l10n: Localization; pollMs?: number }) {
  const styles = useCommonStyles();
  const t = l10n.strings.status;
  const load = useCallback(
    async (): Promise<[AdminStatus, DeadLetter[]]> => Promise.all([api.status(), api.deadLetters()]),
    [api],
  );
  const resource = useResource(load);
  if (resource.error && !resource.data) return <ErrorBar error={resource.error} l10n={l10n} />;
  if (!resource.data) return <Loading l10n={l10n} />;
  const [status, deadLetters] = resource.data;
  const warnings = warningsOf(status, l10n);

  return (
    <div className={styles.section}>
      <Section title={t.heading} tools={<RefreshButton l10n={l10n} onClick={resource.reload} />}>
        {resource.error ? <ErrorBar error={resource.error} l10n={l10n} /> : null}
        <p className={styles.muted}>
          {t.checkedAt(formatDateTime(status.checkedAt, l10n, { seconds: true }))}
        </p>
      </Section>
      <Section title={t.warningsHeading} headingLevel="h3">
        {warnings.length === 0 ? (
          <Notice intent="success">{t.noWarning}</Notice>
        ) : (
          <Notice intent="warning">
            <ul className={styles.list} data-testid="status-warnings">
              {warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          </Notice>
        )}
      </Section>
      <ResyncPanel
        api={api}
        l10n={l10n}
        pollMs={pollMs}
        onEnded={resource.refresh}
        latest={status.latestReconcileRun}
        roomName={(email) => status.rooms.find((r) => r.email === email)?.name || email}
      />
      <Section title={t.roomsHeading} headingLevel="h3">
        <DataTable
          label={t.roomsHeading}
          testId="status-rooms"
          headers={[t.room, t.subscription, t.expires, t.lastNotification, t.lastReconcile, t.errors]}
        >
          {status.rooms.map((room) => (
            <TableRow
              key={room.email}
              data-state={room.subscription.state}
              className={room.active ? undefined : styles.inactive}
            >
              <TableCell>
                <div>{room.name || room.email}</div>
                <div className={styles.muted}>
                  {room.active ? room.email : `${room.email} — ${t.inactive}`}
                </div>
              </TableCell>
              <TableCell>
                <Badge appearance="tint" color={STATE_COLOR[room.subscription.state]}>
                  {l10n.strings.subscriptions.states[room.subscription.state]}
                </Badge>
              </TableCell>
              <TableCell className={styles.nowrap}>
                {formatDateTime(room.subscription.expiresAt, l10n)}
              </TableCell>
              <TableCell className={styles.nowrap}>{formatDateTime(room.lastNotificationAt, l10n)}</TableCell>
              <TableCell className={styles.nowrap}>{formatDateTime(room.lastReconcileAt, l10n)}</TableCell>
              <TableCell>
                {room.errors > 0 ? (
                  <Badge appearance="filled" color="danger">
                    {room.errors}
                  </Badge>
                ) : (
                  room.errors
                )}
              </TableCell>
            </TableRow>
          ))}
        </DataTable>
      </Section>
      <Section title={t.queueHeading} headingLevel="h3">
        <dl className={styles.plainList} data-testid="status-queue">
          <div>
            <dt className={styles.muted}>{t.waiting}</dt>
            <dd>{status.queue.depth}</dd>
          </div>
          <div>
            <dt className={styles.muted}>{t.deadLetters}</dt>
            <dd>{status.queue.deadLetters}</dd>
          </div>
        </dl>
      </Section>
      <Section title={t.lagHeading} headingLevel="h3">
        <dl className={styles.plainList} data-testid="status-lag">
          <div>
            <dt className={styles.muted}>{t.inbound}</dt>
            <dd>{lagText(status.lag.inbound, l10n)}</dd>
          </div>
          <div>
            <dt className={styles.muted}>{t.outbound}</dt>
            <dd>{lagText(status.lag.outbound, l10n)}</dd>
          </div>
        </dl>
      </Section>
      <DeadLettersPanel api={api} l10n={l10n} deadLetters={deadLetters} onRetried={resource.refresh} />
    </div>
  );
}
