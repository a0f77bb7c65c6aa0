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

type Asking = { action: LoanAction } | { itemId: string; name: string };

/**
 * The named actions (cancel, refuse, check out, return), each asked twice (a second click
 * confirms), offered only when the server lists them in the loan's `allowedActions` — Hector's
 * rules, not a copy of them. With `items`, each item the server lets be cancelled alone gets its
 * own button (OU2).
 */
export function LoanActions({
  loan,
  api,
  l10n,
  onDone,
  onError,
  items = false,
}: {
  loan: Loan;
  api: AdminApi;
  l10n: Localization;
  onDone: (loan: Loan) => void;
  onError: (error: unknown) => void;
  items?: boolean;
}) {
  const styles = useStyles();
  const t = l10n.strings.loans;
  const c = l10n.strings.common;
  const [asking, setAsking] = useState<Asking>();
  const [busy, setBusy] = useState(false);
  const run = async (what: Asking) => {
    setBusy(true);
    try {
      onDone(
        'action' in what
          ? await api.loanAction(loan.id, what.action)
          : await api.cancelLoanItem(loan.id, what.itemId),
      );
    } catch (error) {
      onError(error);
    } finally {
      setBusy(false);
      setAsking(undefined);
    }
  };
  const NAMES: Record<LoanAction, { label: string; confirm: (n: number) => string }> = {
    cancel: { label: t.cancel, confirm: t.confirmCancel },
    refuse: { label: t.refuse, confirm: t.confirmRefuse },
    'check-out': { label: t.checkOut, confirm: t.confirmCheckOut },
    return: { label: t.returnLoan, confirm: t.confirmReturn },
  };
  if (asking) {
    const question =
      'action' in asking ? NAMES[asking.action].confirm(loan.number) : t.confirmCancelItem(asking.name);
    return (
      <div className={styles.actions} role="group" aria-label={t.actions}>
        <span>{question}</span>
        <Button size="small" appearance="primary" disabled={busy} onClick={() => void run(asking)}>
          {c.yes}
        </Button>
        <Button size="small" disabled={busy} onClick={() => setAsking(undefined)}>
          {c.no}
        </Button>
      </div>
    );
  }
  const allowed = new Set(loan.allowedActions ?? []);
  const named = (Object.keys(NAMES) as LoanAction[]).filter((action) => allowed.has(action));
  const cancellable = items
    ? loan.items.filter((item) => (loan.allowedItemActions?.[item.id] ?? []).includes('cancel'))
    : [];
  return (
    <div className={styles.actions} role="group" aria-label={t.actions}>
      {named.map((action) => (
        <Button
          key={action}
          size="small"
          onClick={() => setAsking({ action })}
          aria-label={`${NAMES[action].label} ${loan.number}`}
        >
          {NAMES[action].label}
        </Button>
      ))}
      {cancellable.map((item) => (
        <Button
          key={`${item.kind}-${item.id}`}
          size="small"
          appearance="subtle"
          onClick={() => setAsking({ itemId: item.id, name: item.name })}
        >
          {t.cancelItem(item.name)}
        </Button>
      ))}
    </div>
  );
}
