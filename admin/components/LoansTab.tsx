import {
  Button,
  Field,
  Input,
  Link,
  Select,
  TableCell,
  TableRow,
  makeStyles,
  tokens,
} from '@fluentui/react-components';
import { useCallback, useState, type FormEvent } from 'react';
import type { AdminApi } from '../api';
import { LOAN_STATUSES, dayToIso, formatDateTime, isLoanStatus } from '../format';
import type { Localization } from '../i18n';
import type { Loan, LoanFilter, Place } from '../../contract/hector';
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
import { LoanActions, LoanItems, LoanStatus } from './LoanParts';
import { NewLoanForm } from './NewLoanForm';

const useStyles = makeStyles({
  filters: {
    display: 'flex',
    alignItems: 'flex-end',
    columnGap: tokens.spacingHorizontalM,
    rowGap: tokens.spacingVerticalS,
    flexWrap: 'wrap',
  },
});

/** Statuses Hector names the same way in any loan: the fallback labels of the filter. */
function statusOptions(loans: Loan[] | undefined, l10n: Localization): Array<[string, string]> {
  const labels = new Map<string, string>();
  for (const loan of loans ?? []) labels.set(loan.status, loan.statusLabel[l10n.language]);
  return LOAN_STATUSES.map((s) => [s, labels.get(s) ?? s.replace(/_/g, ' ')]);
}

export interface LoansTableProps {
  loans: Loan[];
  api: AdminApi;
  l10n: Localization;
  onChanged: (loan: Loan) => void;
  onError: (error: unknown) => void;
}

export function LoansTable({ loans, api, l10n, onChanged, onError }: LoansTableProps) {
  const common = useCommonStyles();
  const t = l10n.strings.loans;
  return (
    <DataTable
      label={t.heading}
      testId="loans-table"
      headers={[t.number, t.status, t.start, t.end, t.requester, t.items, t.origin, t.actions]}
    >
      {loans.map((loan) => (
        <TableRow key={loan.id} data-loan-id={loan.id}>
          <TableCell>
            <Link href={`#/loans/${encodeURIComponent(loan.id)}`} aria-label={t.open(loan.number)}>
              {loan.number}
            </Link>
          </TableCell>
          <TableCell>
            <LoanStatus loan={loan} l10n={l10n} />
          </TableCell>
          <TableCell className={common.nowrap}>{formatDateTime(loan.start, l10n)}</TableCell>
          <TableCell className={common.nowrap}>{formatDateTime(loan.end, l10n)}</TableCell>
          <TableCell>
            <div>{loan.requester.name || loan.requester.email}</div>
            {loan.requester.name ? <div className={common.muted}>{loan.requester.email}</div> : null}
          </TableCell>
          <TableCell>
            <LoanItems loan={loan} l10n={l10n} />
          </TableCell>
          <TableCell>{t.origins[loan.origin] ?? loan.origin}</TableCell>
          <TableCell>
            <LoanActions loan={loan} api={api} l10n={l10n} onDone={onChanged} onError={onError} />
          </TableCell>
        </TableRow>
      ))}
      {loans.length === 0 ? (
        <TableRow>
          <TableCell colSpan={8}>{l10n.strings.common.empty}</TableCell>
        </TableRow>
      ) : null}
    </DataTable>
  );
}

/** The loans, filtered by status and dates, with the new-loan form and cancel/refuse. */
export function LoansTab({ api, l10n, now }: { api: AdminApi; l10n: Localization; now?: () => Date }) {
  const styles = useStyles();
  const t = l10n.strings.loans;
  const [draft, setDraft] = useState({ status: '', from: '', to: '' });
  const [filter, setFilter] = useState<LoanFilter>({});
  const loans = useResource(useCallback(() => api.loans(filter), [api, filter]));
  const places = useResource(useCallback(() => api.places(), [api]));
  const [creating, setCreating] = useState(false);
  const [message, setMessage] = useState<string>();
  const [actionError, setActionError] = useState<unknown>();

  const apply = (event: FormEvent) => {
    event.preventDefault();
    setFilter({
      status: isLoanStatus(draft.status) ? [draft.status] : undefined,
      from: draft.from ? dayToIso(draft.from) : undefined,
      // The "to" day is included: loans until the end of that day.
      to: draft.to ? dayToIso(draft.to, 1) : undefined,
    });
  };
  const changed = (loan: Loan) => {
    setActionError(undefined);
    setMessage(t.done(loan.number));
    loans.refresh();
  };
  const sorted = [...(loans.data ?? [])].sort((a, b) => b.start.localeCompare(a.start));
  const activePlaces: Place[] = (places.data ?? []).filter((p) => p.active);

  return (
    <Section
      title={t.heading}
      tools={
        <>
          <RefreshButton l10n={l10n} onClick={loans.reload} />
          <Button
            appearance="primary"
            onClick={() => {
              setMessage(undefined);
              setCreating(true);
            }}
            disabled={creating}
          >
            {t.newLoan}
          </Button>
        </>
      }
    >
      {creating ? (
        <NewLoanForm
          api={api}
          l10n={l10n}
          places={activePlaces}
          now={now}
          onClose={() => setCreating(false)}
          onCreated={(loan) => {
            setCreating(false);
            setMessage(t.created(loan.number));
            loans.refresh();
          }}
        />
      ) : null}
      <form className={styles.filters} onSubmit={apply} aria-label={t.filters}>
        <Field label={t.filterStatus}>
          <Select value={draft.status} onChange={(_e, d) => setDraft({ ...draft, status: d.value })}>
            <option value="">{l10n.strings.common.all}</option>
            {statusOptions(loans.data, l10n).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </Select>
        </Field>
        <Field label={t.filterFrom}>
          <Input type="date" value={draft.from} onChange={(_e, d) => setDraft({ ...draft, from: d.value })} />
        </Field>
        <Field label={t.filterTo}>
          <Input type="date" value={draft.to} onChange={(_e, d) => setDraft({ ...draft, to: d.value })} />
        </Field>
        <Button type="submit">{t.apply}</Button>
      </form>
      <div aria-live="polite">
        {message ? <Notice intent="success" title={message} /> : null}
        {actionError ? <ErrorBar error={actionError} l10n={l10n} /> : null}
        {loans.error ? <ErrorBar error={loans.error} l10n={l10n} /> : null}
      </div>
      {loans.loading && !loans.data ? <Loading l10n={l10n} /> : null}
      {loans.data ? (
        <LoansTable
          loans={sorted}
          api={api}
          l10n={l10n}
          onChanged={changed}
          onError={(error) => {
            setMessage(undefined);
            setActionError(error);
          }}
        />
      ) : null}
    </Section>
  );
}
