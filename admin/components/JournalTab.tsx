import {
  Badge,
  Button,
  Field,
  Input,
  Link,
  Select,
  Switch,
  TableCell,
  TableRow,
} from '@fluentui/react-components';
import { useCallback, useEffect, useState, type FormEvent, type ReactElement } from 'react';
import type { AdminApi } from '../api';
import { dayToIso, formatDateTime, journalColor } from '../format';
import type { Localization } from '../i18n';
import type { JournalEntry, JournalFilter, JournalKind } from '../../contract/journal';
import { DataTable, ErrorBar, Loading, RefreshButton, Section, useCommonStyles, useResource } from './common';

/** The ids of a meeting are long: show their end, keep the whole in a tooltip. */
const shortId = (id: string): string => (id.length > 24 ? `…${id.slice(-20)}` : id);

/** The series pass an entry belongs to (B3): its summary line and its occurrences' decisions. */
const passOf = (entry: JournalEntry): string | null => {
  const pass = entry.details?.seriesPass;
  return typeof pass === 'string' ? pass : null;
};

export function JournalTable({ entries, l10n }: { entries: JournalEntry[]; l10n: Localization }) {
  const t = l10n.strings.journal;
  const [open, setOpen] = useState<ReadonlySet<string>>(new Set());
  const newestFirst = [...entries].sort((a, b) => b.at.localeCompare(a.at) || Number(b.id) - Number(a.id));
  // B3: one line per series change; its occurrences' decisions fold under it.
  const summaries = new Set(newestFirst.filter((e) => e.kind === 'series').map(passOf));
  const children = new Map<string, JournalEntry[]>();
  for (const entry of newestFirst) {
    const pass = passOf(entry);
    if (entry.kind === 'series' || !pass || !summaries.has(pass)) continue;
    children.set(pass, [...(children.get(pass) ?? []), entry]);
  }
  const toggle = (pass: string) =>
    setOpen((was) => {
      const next = new Set(was);
      if (!next.delete(pass)) next.add(pass);
      return next;
    });
  const rows: ReactElement[] = [];
  for (const entry of newestFirst) {
    const pass = passOf(entry);
    if (entry.kind !== 'series' && pass && summaries.has(pass)) continue;
    const folded = entry.kind === 'series' && pass ? (children.get(pass) ?? []) : [];
    const expanded = pass !== null && open.has(pass);
    rows.push(
      <JournalRow
        key={entry.id}
        entry={entry}
        l10n={l10n}
        toggle={
          folded.length > 0 && pass
            ? {
                expanded,
                label: expanded ? t.seriesHide : t.seriesShow(folded.length),
                onClick: () => toggle(pass),
              }
            : undefined
        }
      />,
    );
    if (expanded)
      for (const child of folded) rows.push(<JournalRow key={child.id} entry={child} l10n={l10n} nested />);
  }
  return (
    <DataTable
      label={t.heading}
      testId="journal-table"
      headers={[t.at, t.kind, t.message, t.meeting, t.room, t.loan]}
    >
      {rows}
      {entries.length === 0 ? (
        <TableRow>
          <TableCell colSpan={6}>{l10n.strings.common.empty}</TableCell>
        </TableRow>
      ) : null}
    </DataTable>
  );
}

function JournalRow({
  entry,
  l10n,
  nested = false,
  toggle,
}: {
  entry: JournalEntry;
  l10n: Localization;
  nested?: boolean;
  toggle?: { expanded: boolean; label: string; onClick: () => void };
}) {
  const styles = useCommonStyles();
  const t = l10n.strings.journal;
  const none = l10n.strings.common.none;
  const meeting = entry.iCalUId ?? entry.eventId;
  return (
    <TableRow data-kind={entry.kind} data-nested={nested || undefined}>
      <TableCell className={styles.nowrap}>{formatDateTime(entry.at, l10n, { seconds: true })}</TableCell>
      <TableCell className={styles.nowrap}>
        <Badge appearance="tint" color={journalColor(entry.kind)}>
          {t.kinds[entry.kind] ?? entry.kind}
        </Badge>
      </TableCell>
      <TableCell style={nested ? { paddingLeft: '2rem' } : undefined}>
        {entry.message}
        {toggle ? (
          <>
            {' '}
            <Button appearance="subtle" size="small" aria-expanded={toggle.expanded} onClick={toggle.onClick}>
              {toggle.label}
            </Button>
          </>
        ) : null}
      </TableCell>
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
}

const KINDS: JournalKind[] = [
  'created',
  'updated',
  'cancelled',
  'ignored',
  'in_sync',
  'error',
  'gap',
  'subscription',
  'rooms',
  'rooms_import_suspicious',
  'series',
];

const EMPTY_DRAFT = {
  loanId: '',
  eventId: '',
  kind: '',
  roomEmail: '',
  from: '',
  to: '',
  loanNumber: '',
  q: '',
};
type Draft = typeof EMPTY_DRAFT;

/** The form's text as the API's query; days are the admin's own (local midnight to midnight). */
function toFilter(draft: Draft, language: JournalFilter['lang']): JournalFilter {
  const text = (v: string) => v.trim() || undefined;
  const number = Number(draft.loanNumber.trim());
  return {
    loanId: text(draft.loanId),
    eventId: text(draft.eventId),
    kind: KINDS.find((k) => k === draft.kind),
    roomEmail: text(draft.roomEmail),
    from: draft.from ? dayToIso(draft.from) : undefined,
    to: draft.to ? dayToIso(draft.to, 1) : undefined,
    loanNumber: Number.isInteger(number) && number > 0 ? number : undefined,
    q: text(draft.q),
    lang: language,
  };
}

/**
 * B4, issue 15: every sync decision, newest first, in the admin's language; filtered by kind, room,
 * days, loan (number or id), meeting and free text; older pages on demand; refreshed on demand.
 */
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
  const [draft, setDraft] = useState<Draft>(EMPTY_DRAFT);
  const [filter, setFilter] = useState<JournalFilter>({ lang: l10n.language });
  const [auto, setAuto] = useState(false);
  const journal = useResource(useCallback(() => api.journalPage(filter), [api, filter]));
  const { refresh } = journal;
  // Older pages fetched with "show older"; they belong to the filter they were asked with.
  const [older, setOlder] = useState<{ items: JournalEntry[]; nextCursor: string | null } | null>(null);
  const [moreError, setMoreError] = useState<unknown>();
  const [loadingMore, setLoadingMore] = useState(false);

  useEffect(() => {
    if (!auto) return undefined;
    const timer = setInterval(refresh, refreshMs);
    return () => clearInterval(timer);
  }, [auto, refresh, refreshMs]);

  const field = (name: keyof Draft) => ({
    value: draft[name],
    onChange: (_e: unknown, d: { value: string }) => setDraft({ ...draft, [name]: d.value }),
  });
  const apply = (event: FormEvent) => {
    event.preventDefault();
    setOlder(null);
    setFilter(toFilter(draft, l10n.language));
  };
  const clear = () => {
    setDraft(EMPTY_DRAFT);
    setOlder(null);
    setFilter({ lang: l10n.language });
  };
  const nextCursor = older ? older.nextCursor : (journal.data?.nextCursor ?? null);
  const showOlder = async () => {
    if (!nextCursor) return;
    setLoadingMore(true);
    setMoreError(undefined);
    try {
      const page = await api.journalPage({ ...filter, cursor: nextCursor });
      setOlder({ items: [...(older?.items ?? []), ...page.items], nextCursor: page.nextCursor });
    } catch (error) {
      setMoreError(error);
    } finally {
      setLoadingMore(false);
    }
  };
  const entries = journal.data ? [...journal.data.items, ...(older?.items ?? [])] : undefined;

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
      <form className={styles.row} onSubmit={apply} aria-label={t.filters} role="search">
        <Field label={t.kindFilter}>
          <Select value={draft.kind} onChange={(_e, d) => setDraft({ ...draft, kind: d.value })}>
            <option value="">{t.allKinds}</option>
            {KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {t.kinds[kind] ?? kind}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t.roomFilter}>
          <Input type="email" {...field('roomEmail')} />
        </Field>
        <Field label={t.from}>
          <Input type="date" {...field('from')} />
        </Field>
        <Field label={t.to}>
          <Input type="date" {...field('to')} />
        </Field>
        <Field label={t.loanNumber}>
          <Input type="number" min={1} inputMode="numeric" {...field('loanNumber')} />
        </Field>
        <Field label={t.loanId}>
          <Input {...field('loanId')} />
        </Field>
        <Field label={t.eventId}>
          <Input {...field('eventId')} />
        </Field>
        <Field label={t.text}>
          <Input type="search" {...field('q')} />
        </Field>
        <Button type="submit">{t.filter}</Button>
        <Button appearance="subtle" onClick={clear}>
          {t.clear}
        </Button>
      </form>
      {journal.error ? <ErrorBar error={journal.error} l10n={l10n} /> : null}
      {journal.loading && !journal.data ? <Loading l10n={l10n} /> : null}
      {entries ? (
        <>
          <p className={styles.muted} aria-live="polite">
            {t.shown(entries.length)}
          </p>
          <JournalTable entries={entries} l10n={l10n} />
        </>
      ) : null}
      {moreError ? <ErrorBar error={moreError} l10n={l10n} /> : null}
      {nextCursor ? (
        <Button onClick={() => void showOlder()} disabled={loadingMore}>
          {t.more}
        </Button>
      ) : null}
    </Section>
  );
}
