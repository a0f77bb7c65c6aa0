import { Body1, Button, Caption1, Subtitle1, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useId } from 'react';
import type { PaneNoLoanReason } from '../api';
import type { Localization } from '../i18n';

export interface NoLoanViewProps {
  reason: PaneNoLoanReason;
  l10n: Localization;
  /** Asks the server again; called by the refresh button and, while syncing, every few seconds. */
  onRefresh?: () => void;
  /** How often a "syncing" reason refreshes itself (default 3 s). */
  syncingRefreshMs?: number;
}

const useStyles = makeStyles({
  box: {
    display: 'flex',
    flexDirection: 'column',
    rowGap: tokens.spacingVerticalS,
    alignItems: 'flex-start',
  },
  heading: { margin: 0 },
  detail: { color: tokens.colorNeutralForeground3 },
});

/** Why the open event has no Hector loan (A2), in the user's language plus the server's detail. */
export function NoLoanView({ reason, l10n, onRefresh, syncingRefreshMs = 3000 }: NoLoanViewProps) {
  const styles = useStyles();
  const headingId = useId();
  const t = l10n.strings.noLoan;
  const syncing = reason.code === 'syncing';
  useEffect(() => {
    if (!syncing || !onRefresh) return undefined;
    const timer = setInterval(onRefresh, syncingRefreshMs);
    return () => clearInterval(timer);
  }, [syncing, onRefresh, syncingRefreshMs]);

  const sentence = t.reasons[reason.code] ?? t.reasons.other;
  return (
    <section
      className={styles.box}
      aria-labelledby={headingId}
      data-testid="no-loan"
      data-reason={reason.code}
    >
      <Subtitle1 as="h2" id={headingId} className={styles.heading}>
        {t.heading}
      </Subtitle1>
      <Body1 as="p">{sentence}</Body1>
      {reason.message && reason.message !== sentence ? (
        <Caption1 as="p" className={styles.detail}>
          {t.serverSays} {reason.message}
        </Caption1>
      ) : null}
      {onRefresh && reason.code !== 'not_saved' ? (
        <Button appearance="secondary" onClick={onRefresh}>
          {t.refresh}
        </Button>
      ) : null}
    </section>
  );
}

export interface NoItemViewProps {
  l10n: Localization;
}

/** A pane opened on something that is not a calendar event. */
export function NoItemView({ l10n }: NoItemViewProps) {
  return <Body1 as="p">{l10n.strings.noLoan.noItem}</Body1>;
}
