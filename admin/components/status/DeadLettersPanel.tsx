import { Button, TableCell, TableRow } from '@fluentui/react-components';
import { useState } from 'react';
import type { DeadLetter } from '../../../contract/admin';
import type { AdminApi } from '../../api';
import { formatDateTime } from '../../format';
import type { Localization } from '../../i18n';
import { DataTable, ErrorBar, Notice, Section, useCommonStyles } from '../common';

/** Jobs that gave up after every retry, each with a Retry button (B6). */
export function DeadLettersPanel({
  api,
  l10n,
  deadLetters,
  onRetried,
}: {
  api: AdminApi;
  l10n: Localization;
  deadLetters: DeadLetter[];
  onRetried: () => void;
}) {
  const styles = useCommonStyles();
  const t = l10n.strings.status;
  const [busy, setBusy] = useState<string>();
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState(false);

  const retry = async (id: string) => {
    setBusy(id);
    setError(undefined);
    setDone(false);
    try {
      await api.retryDeadLetter(id);
      setDone(true);
      onRetried();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <Section title={t.deadHeading} headingLevel="h3">
      {done ? <Notice intent="success">{t.retried}</Notice> : null}
      {error ? <ErrorBar error={error} l10n={l10n} /> : null}
      {deadLetters.length === 0 ? (
        <p className={styles.muted}>{t.noDeadLetters}</p>
      ) : (
        <DataTable
          label={t.deadHeading}
          testId="dead-letters-table"
          headers={[t.queue, t.job, t.lastError, t.attempts, t.when, '']}
        >
          {deadLetters.map((d) => {
            const when = formatDateTime(d.at, l10n);
            return (
              <TableRow key={d.id}>
                <TableCell className={styles.nowrap}>{d.queue}</TableCell>
                <TableCell className={styles.mono}>{JSON.stringify(d.job)}</TableCell>
                <TableCell>{d.lastError ?? l10n.strings.common.none}</TableCell>
                <TableCell>{d.attempts}</TableCell>
                <TableCell className={styles.nowrap}>{when}</TableCell>
                <TableCell>
                  <Button
                    size="small"
                    onClick={() => void retry(d.id)}
                    disabled={busy !== undefined}
                    aria-label={t.retryLabel(d.queue, when)}
                  >
                    {t.retry}
                  </Button>
                </TableCell>
              </TableRow>
            );
          })}
        </DataTable>
      )}
    </Section>
  );
}
