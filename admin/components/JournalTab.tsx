import { Badge, Button, Field, Input, Link, Switch, TableCell, TableRow } from '@fluentui/react-components';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { AdminApi } from '../api';
import { formatDateTime, journalColor } from '../format';
import type { Localization } from '../i18n';
import type { JournalEntry, JournalFilter } from '../../contract/journal';
import { DataTable, ErrorBar, Loading, RefreshButton, Section, useCommonStyles, useResource } from './common';

/** The ids of a meeting are long: show their end, keep the whole in a tooltip. */
const shortId = (id: string): string => (id.length > 24 ? `…${id.slice(-20)}` : id);

export function JournalTable({ entries, l10n }: { entries: JournalEntry[]; l10n: Localization }) {
  const styles = useCommonStyles();
  const t = l10n.strings.journal;
  const none = l10n.strings.common.none;
  const newestFirst = [...entries].sort((a, b) => b.at.localeCompare(a.at) || Number(b.id) - Number(a.id));
  return (
    <DataTable
      label={t.heading}
      testId="journal-table"
      headers={[t.at, t.kind, t.message, t.meeting, t.room, t.loan]}
    >
      {newestFirst.map((entry) => {
        const meeting = entry.iCalUId ?? entry.eventId;
        return (
          <TableRow key={entry.id} data-kind={entry.kind}>
            <TableCell className={styles.nowrap}>
              {formatDateTime(entry.at, l10n, { seconds: true })}
            </TableCell>
            <TableCell className={styles.nowrap}>
              <Badge appearance="tint" color={journalColor(entry.kind)}>
                {t.kinds[entry.kind] ?? entry.kind}
              </Badge>
            </TableCell>
            <TableCell>{entry.message}</TableCell>
            <TableCell>
              {meeting ? (
                <span className={styles.mono} title={meeting}>
                  {shortId(meeting)}
                </span>
              ) : (
                none
              )}
            </TableCell>
            <TableCell className={styles.nowrap}>{entry.roomEmail ?? none}</TableCell>
            <TableCell>
              {entry.loanId ? (
                <Link href={`#/loans/${encodeURIComponent(entry.loanId)}`}>{shortId(entry.loanId)}</Link>
              ) : (
                none
              )}
            </TableCell>
          </TableRow>
        );
      })}
      {entries.length === 0 ? (
        <TableRow>
          <TableCell colSpan={6}>{l10n.strings.common.empty}</TableCell>
        </TableRow>
      ) : null}
    </DataTable>
  );
}

/** B4: every sync decision, newest first, filtered by loan or meeting, refreshed on demand. */
export function JournalTab({
  api,
  l10n,
  refreshMs = 5000,
}: {
  api: AdminApi;
  l10n: Localization;
  refreshMs?: number;
}) {
  const styles = useCommonStyles();
  const t = l10n.strings.journal;
  const [draft, setDraft] = useState({ loanId: '', eventId: '' });
  const [filter, setFilter] = useState<JournalFilter>({});
  const [auto, setAuto] = useState(false);
  const journal = useResource(useCallback(() => api.journal(filter), [api, filter]));
  const { refresh } = journal;

  useEffect(() => {
    if (!auto) return undefined;
    const timer = setInterval(refresh, refreshMs);
    return () => clearInterval(timer);
  }, [auto, refresh, refreshMs]);

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setFilter({ loanId: draft.loanId.trim() || undefined, eventId: draft.eventId.trim() || undefined });
  };
  const clear = () => {
    setDraft({ loanId: '', eventId: '' });
    setFilter({});
  };

  return (
    <Section
      title={t.heading}
      tools={
        <>
          <Switch label={t.autoRefresh} checked={auto} onChange={(_e, d) => setAuto(d.checked)} />
          <RefreshButton l10n={l10n} onClick={journal.reload} />
        </>
      }
    >
      <form className={styles.row} onSubmit={apply} aria-label={t.filter}>
        <Field label={t.loanId}>
          <Input value={draft.loanId} onChange={(_e, d) => setDraft({ ...draft, loanId: d.value })} />
        </Field>
        <Field label={t.eventId}>
          <Input value={draft.eventId} onChange={(_e, d) => setDraft({ ...draft, eventId: d.value })} />
        </Field>
        <Button type="submit">{t.filter}</Button>
        <Button appearance="subtle" onClick={clear}>
          {t.clear}
        </Button>
      </form>
      {journal.error ? <ErrorBar error={journal.error} l10n={l10n} /> : null}
      {journal.loading && !journal.data ? <Loading l10n={l10n} /> : null}
      {journal.data ? <JournalTable entries={journal.data} l10n={l10n} /> : null}
    </Section>
  );
}
