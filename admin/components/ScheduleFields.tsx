import {
  Checkbox,
  Input,
  Radio,
  RadioGroup,
  Text,
  makeStyles,
  tokens,
  Field,
} from '@fluentui/react-components';
import type { Weekday } from '../../contract/hector';
import { WEEKDAYS, type ScheduleDraft, type ScheduleProblem } from '../bookingOptions';
import type { Localization } from '../i18n';

const useStyles = makeStyles({
  days: {
    display: 'grid',
    gridTemplateColumns: 'minmax(120px, auto) 96px 96px 1fr',
    alignItems: 'center',
    columnGap: tokens.spacingHorizontalS,
    rowGap: tokens.spacingVerticalXS,
    margin: 0,
    padding: 0,
    border: 'none',
  },
  legend: { padding: 0, marginBottom: tokens.spacingVerticalXS },
  error: { color: tokens.colorPaletteRedForeground1 },
  note: { gridColumn: '1 / -1', color: tokens.colorNeutralForeground3 },
});

export interface ScheduleFieldsProps {
  l10n: Localization;
  draft: ScheduleDraft;
  onChange: (draft: ScheduleDraft) => void;
  problems: Partial<Record<Weekday, ScheduleProblem>>;
  /** Label of the "no schedule of its own" choice: the store's (place) or always open (store). */
  unsetLabel: string;
  /** Label of the "per weekday" choice. */
  ownLabel: string;
  /** Prefix of element ids, unique on the page. */
  idPrefix: string;
}

/** K2 work hours: no schedule of its own, or per weekday open from–to or closed. */
export function ScheduleFields({
  l10n,
  draft,
  onChange,
  problems,
  unsetLabel,
  ownLabel,
  idPrefix,
}: ScheduleFieldsProps) {
  const styles = useStyles();
  const t = l10n.strings.booking;
  const setDay = (day: Weekday, change: Partial<ScheduleDraft['days'][Weekday]>) =>
    onChange({ ...draft, days: { ...draft.days, [day]: { ...draft.days[day], ...change } } });
  return (
    <>
      <Field label={t.schedule}>
        <RadioGroup
          value={draft.unset ? 'unset' : 'own'}
          onChange={(_e, d) => onChange({ ...draft, unset: d.value === 'unset' })}
        >
          <Radio value="unset" label={unsetLabel} />
          <Radio value="own" label={ownLabel} />
        </RadioGroup>
      </Field>
      {draft.unset ? null : (
        <fieldset className={styles.days} aria-describedby={`${idPrefix}-clock-hint`}>
          <legend className={styles.legend}>
            <Text id={`${idPrefix}-clock-hint`} size={200}>
              {t.clockHint}
            </Text>
          </legend>
          {WEEKDAYS.map((day) => {
            const d = draft.days[day];
            const name = t.days[day];
            const problem = problems[day];
            const errorId = `${idPrefix}-${day}-error`;
            return (
              <div key={day} style={{ display: 'contents' }} data-day={day}>
                <Checkbox
                  label={name}
                  checked={d.open}
                  onChange={(_e, data) => setDay(day, { open: data.checked === true })}
                />
                <Input
                  aria-label={t.opens(name)}
                  value={d.open ? d.from : ''}
                  placeholder={d.open ? '08:00' : t.closed}
                  disabled={!d.open}
                  inputMode="numeric"
                  aria-invalid={problem ? true : undefined}
                  aria-describedby={problem ? errorId : undefined}
                  onChange={(_e, data) => setDay(day, { from: data.value })}
                />
                <Input
                  aria-label={t.closes(name)}
                  value={d.open ? d.to : ''}
                  placeholder={d.open ? '18:00' : t.closed}
                  disabled={!d.open}
                  inputMode="numeric"
                  aria-invalid={problem ? true : undefined}
                  aria-describedby={problem ? errorId : undefined}
                  onChange={(_e, data) => setDay(day, { to: data.value })}
                />
                <Text id={errorId} className={styles.error} role={problem ? 'alert' : undefined}>
                  {problem ? t.errors[problem] : ''}
                </Text>
                {d.open && d.more.length > 0 ? (
                  <Text className={styles.note} size={200}>
                    {t.moreIntervals(d.more.map((i) => `${i.from}–${i.to}`).join(', '))}
                  </Text>
                ) : null}
              </div>
            );
          })}
        </fieldset>
      )}
    </>
  );
}
