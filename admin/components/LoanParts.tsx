import { Badge, Button, makeStyles, tokens } from '@fluentui/react-components';
import { useState } from 'react';
import type { Loan, LoanAction } from '../../contract/hector';
import type { AdminApi } from '../api';
import { statusColor, statusLabel } from '../format';
import type { Localization } from '../i18n';
import { useCommonStyles } from './common';

const useStyles = makeStyles({
  actions: { display: 'flex', columnGap: tokens.spacingHorizontalS, alignItems: 'center' },
  item: { display: 'flex', columnGap: tokens.spacingHorizontalS, alignItems: 'center', whiteSpace: 'nowrap' },
});

export function LoanStatus({ loan, l10n }: { loan: Loan; l10n: Localization }) {
  const label = statusLabel(loan.status, loan.statusLabel, l10n);
  return (
    <Badge appearance="filled" color={statusColor(loan.status)} data-status={loan.status}>
      {label}
    </Badge>
  );
}

/** The loan's items, each with its own status (an item can be cancelled alone, OU2). */
export function LoanItems({ loan, l10n }: { loan: Loan; l10n: Localization }) {
  const common = useCommonStyles();
  const styles = useStyles();
  const t = l10n.strings.loans;
  return (
    <ul className={common.plainList}>
      {loan.items.map((item) => (
        <li key={`${item.kind}-${item.id}`} className={styles.item}>
          <span>
            {item.name}
            <span className={common.muted}> · {t.itemKind[item.kind] ?? item.kind}</span>
          </span>
          <Badge appearance="tint" size="small" color={statusColor(item.status)}>
            {t.itemStatus[item.status] ?? item.status}
          </Badge>
        </li>
      ))}
    </ul>
  );
}

/**
 * Cancel / refuse, each asked twice (a second click confirms), offered when the server says the
 * loan may still become cancelled / refused (`allowedStatuses`: Hector's transitions, not a copy).
 */
export function LoanActions({
  loan,
  api,
  l10n,
  onDone,
  onError,
}: {
  loan: Loan;
  api: AdminApi;
  l10n: Localization;
  onDone: (loan: Loan) => void;
  onError: (error: unknown) => void;
}) {
  const styles = useStyles();
  const t = l10n.strings.loans;
  const c = l10n.strings.common;
  const [asking, setAsking] = useState<LoanAction>();
  const [busy, setBusy] = useState(false);
  const run = async (action: LoanAction) => {
    setBusy(true);
    try {
      onDone(await api.loanAction(loan.id, action));
    } catch (error) {
      onError(error);
    } finally {
      setBusy(false);
      setAsking(undefined);
    }
  };
  if (asking) {
    return (
      <div className={styles.actions} role="group" aria-label={t.actions}>
        <span>{asking === 'cancel' ? t.confirmCancel(loan.number) : t.confirmRefuse(loan.number)}</span>
        <Button size="small" appearance="primary" disabled={busy} onClick={() => void run(asking)}>
          {c.yes}
        </Button>
        <Button size="small" disabled={busy} onClick={() => setAsking(undefined)}>
          {c.no}
        </Button>
      </div>
    );
  }
  const allowed = new Set(loan.allowedStatuses);
  return (
    <div className={styles.actions} role="group" aria-label={t.actions}>
      {allowed.has('cancelled') ? (
        <Button size="small" onClick={() => setAsking('cancel')} aria-label={`${t.cancel} ${loan.number}`}>
          {t.cancel}
        </Button>
      ) : null}
      {allowed.has('refused') ? (
        <Button size="small" onClick={() => setAsking('refuse')} aria-label={`${t.refuse} ${loan.number}`}>
          {t.refuse}
        </Button>
      ) : null}
    </div>
  );
}
