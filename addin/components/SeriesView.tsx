import { Badge, Body1, Button, Caption1, Subtitle1, makeStyles, tokens } from '@fluentui/react-components';
import { useEffect, useId } from 'react';
import type { SeriesOccurrenceView, SeriesView as Series } from '../../contract/addin';
import type { PaneNoLoanReason } from '../api';
import { formatShortRange, statusColor } from '../format';
import type { Localization } from '../i18n';

export interface SeriesViewProps {
  /** What the server says of the series itself (B3: `series`, `syncing`, a room that declined it…). */
  reason: PaneNoLoanReason;
  series: Series;
  l10n: Localization;
  /** Asks the server again; called by the refresh button and, while syncing, every few seconds. */
  onRefresh?: () => void;
  syncingRefreshMs?: number;
}

const useStyles = makeStyles({
  box: { display: 'flex', flexDirection: 'column', rowGap: tokens.spacingVerticalS, alignItems: 'stretch' },
  heading: { margin: 0 },
  detail: { margin: 0, color: tokens.colorNeutralForeground3 },
  list: { listStyleType: 'none', margin: 0, padding: 0, display: 'grid', rowGap: tokens.spacingVerticalXS },
  occurrence: {
    display: 'flex',
    flexDirection: 'column',
    rowGap: tokens.spacingVerticalXXS,
    padding: tokens.spacingHorizontalS,
    borderRadius: tokens.borderRadiusMedium,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  line: {
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'space-between',
    columnGap: tokens.spacingHorizontalS,
    flexWrap: 'wrap',
  },
  refresh: { alignSelf: 'flex-start' },
});

/**
 * B3: the pane opened on a series (its master, which holds no loan): each upcoming occurrence
 * with its own loan's number and status, or why it has none — in the user's language.
 */
export function SeriesView({ reason, series, l10n, onRefresh, syncingRefreshMs = 3000 }: SeriesViewProps) {
  const styles = useStyles();
  const headingId = useId();
  const listId = useId();
  const t = l10n.strings;
  const syncing = reason.code === 'syncing';
  useEffect(() => {
    if (!syncing || !onRefresh) return undefined;
    const timer = setInterval(onRefresh, syncingRefreshMs);
    return () => clearInterval(timer);
  }, [syncing, onRefresh, syncingRefreshMs]);

  const sentence = t.noLoan.reasons[reason.code] ?? t.noLoan.reasons.other;
  return (
    <section
      className={styles.box}
      aria-labelledby={headingId}
      data-testid="series"
      data-reason={reason.code}
    >
      <Subtitle1 as="h2" id={headingId} className={styles.heading}>
        {t.series.heading}
      </Subtitle1>
      <Body1 as="p" className={styles.heading}>
        {sentence}
      </Body1>
      {reason.message && reason.message !== sentence ? (
        <Caption1 as="p" className={styles.detail}>
          {reason.message}
        </Caption1>
      ) : null}
      <Caption1 as="h3" id={listId} className={styles.detail}>
        {t.series.upcoming}
      </Caption1>
      {series.occurrences.length === 0 ? (
        <Body1 as="p">{t.series.none}</Body1>
      ) : (
        <ul className={styles.list} aria-labelledby={listId}>
          {series.occurrences.map((o) => (
            <OccurrenceItem key={o.start} occurrence={o} l10n={l10n} />
          ))}
        </ul>
      )}
      {onRefresh ? (
        <Button appearance="secondary" className={styles.refresh} onClick={onRefresh}>
          {t.noLoan.refresh}
        </Button>
      ) : null}
    </section>
  );
}

function OccurrenceItem({ occurrence: o, l10n }: { occurrence: SeriesOccurrenceView; l10n: Localization }) {
  const styles = useStyles();
  const t = l10n.strings;
  const when = formatShortRange(o.start, o.end, l10n.locale, l10n.timeZone);
  const status = o.loan ? o.loan.statusLabel || t.statusNames[o.loan.status] || o.loan.status : '';
  const why = o.reason ? o.reason.message || t.noLoan.reasons[o.reason.code] || t.noLoan.reasons.other : '';
  const what = o.loan ? `${t.series.loan(o.loan.number)}, ${status}` : `${t.series.noLoan}. ${why}`;
  return (
    <li
      className={styles.occurrence}
      aria-label={t.series.occurrence(when, what)}
      data-testid="series-occurrence"
      data-loan={o.loan?.id ?? ''}
    >
      <div className={styles.line}>
        <Body1>{when}</Body1>
        {o.loan ? (
          <Badge appearance="filled" color={statusColor(o.loan.status)}>
            {status}
          </Badge>
        ) : (
          <Badge appearance="outline" color="informative">
            {t.series.noLoan}
          </Badge>
        )}
      </div>
      {o.loan ? (
        <Body1>
          <strong>{t.series.loan(o.loan.number)}</strong>
        </Body1>
      ) : (
        <Caption1 className={styles.detail}>{why}</Caption1>
      )}
    </li>
  );
}
