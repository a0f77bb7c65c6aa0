import { Badge, Body1, Caption1, Link, Subtitle1, makeStyles, tokens } from '@fluentui/react-components';
import type { LoanView } from '../../contract/addin';
import { formatRange, statusColor } from '../format';
import type { Localization } from '../i18n';

export interface LoanCardProps {
  loan: LoanView;
  l10n: Localization;
}

const useStyles = makeStyles({
  card: {
    display: 'flex',
    flexDirection: 'column',
    rowGap: tokens.spacingVerticalM,
    padding: tokens.spacingHorizontalM,
    borderRadius: tokens.borderRadiusMedium,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`,
    backgroundColor: tokens.colorNeutralBackground1,
  },
  header: { display: 'flex', alignItems: 'center', columnGap: tokens.spacingHorizontalS, flexWrap: 'wrap' },
  heading: { margin: 0 },
  notice: {
    margin: 0,
    padding: tokens.spacingHorizontalS,
    borderRadius: tokens.borderRadiusMedium,
    backgroundColor: tokens.colorPaletteYellowBackground1,
  },
  facts: { margin: 0, display: 'grid', rowGap: tokens.spacingVerticalXS },
  term: { color: tokens.colorNeutralForeground3 },
  definition: { margin: 0 },
  items: { listStyleType: 'none', margin: 0, padding: 0, display: 'grid', rowGap: tokens.spacingVerticalXS },
  item: {
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'space-between',
    columnGap: tokens.spacingHorizontalS,
  },
});

/** The Hector loan linked to the open event (A1). */
export function LoanCard({ loan, l10n }: LoanCardProps) {
  const styles = useStyles();
  const t = l10n.strings;
  const statusName = (status: string, label?: string) => label || t.statusNames[status] || status;
  const headingId = `loan-${loan.id}-heading`;
  return (
    <article className={styles.card} aria-labelledby={headingId} data-testid="loan-card">
      <div className={styles.header}>
        <Subtitle1 as="h2" id={headingId} className={styles.heading}>
          {t.loan.heading(loan.number)}
        </Subtitle1>
        <Badge
          appearance="filled"
          color={statusColor(loan.status)}
          aria-label={`${t.loan.status}: ${statusName(loan.status, loan.statusLabel)}`}
        >
          {statusName(loan.status, loan.statusLabel)}
        </Badge>
      </div>
      {loan.notice && (
        <Body1 as="p" role="status" className={styles.notice} data-testid="loan-notice">
          {t.loan.notices[loan.notice.code] ?? loan.notice.message}
        </Body1>
      )}
      <dl className={styles.facts}>
        <dt className={styles.term}>
          <Caption1>{t.loan.when}</Caption1>
        </dt>
        <dd className={styles.definition}>
          <Body1>{formatRange(loan.start, loan.end, l10n.locale, l10n.timeZone)}</Body1>
        </dd>
        <dt className={styles.term}>
          <Caption1>{t.loan.requester}</Caption1>
        </dt>
        <dd className={styles.definition}>
          <Body1>
            {loan.requester.name || loan.requester.email}
            {loan.requester.name && loan.requester.email ? ` <${loan.requester.email}>` : ''}
          </Body1>
        </dd>
      </dl>
      <section aria-label={t.loan.items}>
        <Caption1 as="h3" className={styles.term}>
          {t.loan.items}
        </Caption1>
        <ul className={styles.items}>
          {loan.items.map((item) => (
            <li key={`${item.kind}-${item.id}`} className={styles.item}>
              <Body1>
                {item.name}
                <Caption1 className={styles.term}> · {t.loan.itemKind[item.kind] ?? item.kind}</Caption1>
              </Body1>
              <Badge appearance="tint" color={statusColor(item.status)}>
                {statusName(item.status, item.statusLabel)}
              </Badge>
            </li>
          ))}
        </ul>
      </section>
      <Link href={loan.url} target="_blank" rel="noopener noreferrer">
        {t.loan.open}
      </Link>
    </article>
  );
}
