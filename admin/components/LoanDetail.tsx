import { Button, Link, makeStyles, tokens } from '@fluentui/react-components';
import { useCallback, useState, type ReactNode } from 'react';
import type { AdminApi } from '../api';
import { AdminApiError } from '../api';
import { formatDateTime } from '../format';
import type { Localization } from '../i18n';
import type { Asset, Loan, Place } from '../../contract/hector';
import { JournalTable } from './JournalTab';
import { ErrorBar, Loading, Notice, RefreshButton, Section, useCommonStyles, useResource } from './common';
import { LoanActions, LoanItems, LoanStatus } from './LoanParts';
import { LoanEditForm } from './LoanEditForm';

const useStyles = makeStyles({
  facts: {
    display: 'grid',
    gridTemplateColumns: 'max-content 1fr',
    columnGap: tokens.spacingHorizontalL,
    rowGap: tokens.spacingVerticalS,
    margin: 0,
  },
  term: { color: tokens.colorNeutralForeground3 },
  definition: { margin: 0 },
});

/** One loan (#/loans/{id}, where the add-in's "Open in Hector" leads), with its journal. */
export function LoanDetail({ api, l10n, loanId }: { api: AdminApi; l10n: Localization; loanId: string }) {
  const styles = useStyles();
  const common = useCommonStyles();
  const t = l10n.strings.loans;
  const load = useCallback(
    async (): Promise<[Loan, Awaited<ReturnType<AdminApi['journal']>>]> =>
      Promise.all([api.loan(loanId), api.journal({ loanId, limit: 100 }).catch(() => [])]),
    [api, loanId],
  );
  const resource = useResource(load);
  const [message, setMessage] = useState<string>();
  const [editing, setEditing] = useState(false);
  // What the edit form offers: loaded once, when it first opens.
  const [choices, setChoices] = useState<{ places: Place[]; assets: Asset[] }>();
  const openEdit = async () => {
    setMessage(undefined);
    try {
      if (!choices) setChoices({ places: await api.places(), assets: await api.assets() });
      setEditing(true);
    } catch (error) {
      setActionError(error);
    }
  };
  const [actionError, setActionError] = useState<unknown>();
  const back = (
    <Link href="#/loans" data-testid="back-to-loans">
      {t.back}
    </Link>
  );

  if (resource.error && !resource.data) {
    const notFound = resource.error instanceof AdminApiError && resource.error.status === 404;
    return (
      <div className={common.section}>
        {back}
        {notFound ? (
          <Notice intent="warning" title={t.notFound} />
        ) : (
          <ErrorBar error={resource.error} l10n={l10n} />
        )}
      </div>
    );
  }
  if (!resource.data) return <Loading l10n={l10n} />;
  const [loan, journal] = resource.data;
  const fact = (term: string, value: ReactNode) => (
    <>
      <dt className={styles.term}>{term}</dt>
      <dd className={styles.definition}>{value}</dd>
    </>
  );
  return (
    <div className={common.section}>
      {back}
      <Section
        title={t.detailHeading(loan.number)}
        tools={<RefreshButton l10n={l10n} onClick={resource.refresh} />}
      >
        <div aria-live="polite">
          {message ? <Notice intent="success" title={message} /> : null}
          {actionError ? <ErrorBar error={actionError} l10n={l10n} /> : null}
        </div>
        <dl className={styles.facts} data-testid="loan-detail">
          {fact(t.status, <LoanStatus loan={loan} l10n={l10n} />)}
          {fact(t.start, formatDateTime(loan.start, l10n))}
          {fact(t.end, formatDateTime(loan.end, l10n))}
          {fact(
            t.requester,
            loan.requester.name ? `${loan.requester.name} <${loan.requester.email}>` : loan.requester.email,
          )}
          {loan.store ? fact(t.store, loan.store.name) : null}
          {fact(t.origin, t.origins[loan.origin] ?? loan.origin)}
          {fact(t.items, <LoanItems loan={loan} l10n={l10n} />)}
        </dl>
        <LoanActions
          loan={loan}
          api={api}
          l10n={l10n}
          items
          onDone={(updated) => {
            setActionError(undefined);
            setMessage(t.done(updated.number));
            resource.refresh();
          }}
          onError={setActionError}
        />
        {loan.allowedActions.includes('edit') && !editing ? (
          <div>
            <Button onClick={() => void openEdit()} aria-label={t.editHeading(loan.number)}>
              {t.edit}
            </Button>
          </div>
        ) : null}
        {editing && choices ? (
          <LoanEditForm
            loan={loan}
            api={api}
            l10n={l10n}
            places={choices.places}
            assets={choices.assets}
            onClose={() => setEditing(false)}
            onSaved={(updated) => {
              setEditing(false);
              setActionError(undefined);
              setMessage(t.done(updated.number));
              resource.refresh();
            }}
          />
        ) : null}
      </Section>
      <Section title={t.journal} headingLevel="h3">
        <JournalTable entries={journal} l10n={l10n} />
      </Section>
    </div>
  );
}
