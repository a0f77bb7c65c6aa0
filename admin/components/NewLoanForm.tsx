import { Button, Checkbox, Field, Input, Label, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import type { AdminApi } from '../api';
import { isQuarterHour, nextQuarterHour, parseLocalDateTime, toLocalInput } from '../format';
import type { Localization } from '../i18n';
import type { Loan, Place } from '../../contract/hector';
import { ErrorBar, Section } from './common';

const useStyles = makeStyles({
  form: { display: 'grid', rowGap: tokens.spacingVerticalM, maxWidth: '640px' },
  dates: { display: 'flex', columnGap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  places: {
    display: 'grid',
    gridTemplateColumns: 'repeat(auto-fill, minmax(220px, 1fr))',
    margin: 0,
    padding: 0,
    border: 'none',
  },
  legend: { padding: 0, marginBottom: tokens.spacingVerticalXS },
  error: { gridColumn: '1 / -1', color: tokens.colorPaletteRedForeground1 },
  buttons: { display: 'flex', columnGap: tokens.spacingHorizontalM },
  box: {
    padding: tokens.spacingHorizontalL,
    borderRadius: tokens.borderRadiusMedium,
    border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke1}`,
  },
});

export interface NewLoanFormProps {
  api: AdminApi;
  l10n: Localization;
  /** Active places to choose from. */
  places: Place[];
  onCreated: (loan: Loan) => void;
  onClose: () => void;
  now?: () => Date;
}

type Problems = Partial<Record<'email' | 'places' | 'start' | 'end', string>>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** A loan made in Hector (HC1): requester, rooms, start and end on quarter hours. */
export function NewLoanForm({
  api,
  l10n,
  places,
  onCreated,
  onClose,
  now = () => new Date(),
}: NewLoanFormProps) {
  const styles = useStyles();
  const t = l10n.strings.loans;
  const [email, setEmail] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [start, setStart] = useState(() => toLocalInput(nextQuarterHour(now())));
  const [end, setEnd] = useState(() => toLocalInput(new Date(nextQuarterHour(now()).getTime() + 3_600_000)));
  const [problems, setProblems] = useState<Problems>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  const validate = (): Problems => {
    const found: Problems = {};
    if (!EMAIL.test(email.trim())) found.email = t.errors.email;
    if (chosen.length === 0) found.places = t.errors.places;
    const s = parseLocalDateTime(start);
    const e = parseLocalDateTime(end);
    if (!s) found.start = t.errors.date;
    else if (!isQuarterHour(s)) found.start = t.errors.quarter;
    if (!e) found.end = t.errors.date;
    else if (!isQuarterHour(e)) found.end = t.errors.quarter;
    else if (s && e <= s) found.end = t.errors.order;
    return found;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = validate();
    setProblems(found);
    setError(undefined);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    try {
      const loan = await api.createLoan({
        requester: { email: email.trim() },
        start: parseLocalDateTime(start)!.toISOString(),
        end: parseLocalDateTime(end)!.toISOString(),
        items: chosen.map((id) => ({ kind: 'place', id })),
      });
      onCreated(loan);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const toggle = (id: string, on: boolean) =>
    setChosen((list) => (on ? [...list, id] : list.filter((x) => x !== id)));

  return (
    <div className={styles.box}>
      <Section title={t.newLoanHeading} headingLevel="h3">
        <form className={styles.form} onSubmit={submit} noValidate aria-label={t.newLoanHeading}>
          <Field label={t.requesterEmail} required validationMessage={problems.email}>
            <Input type="email" value={email} onChange={(_e, d) => setEmail(d.value)} />
          </Field>
          {/* A fieldset, not a Field: a Field would lend its one label to every checkbox. */}
          <fieldset
            className={styles.places}
            aria-invalid={problems.places ? true : undefined}
            aria-describedby={problems.places ? 'new-loan-places-error' : undefined}
          >
            <legend className={styles.legend}>
              <Label required>{t.placesField}</Label>
            </legend>
            {places.map((place) => (
              <Checkbox
                key={place.id}
                label={place.name}
                checked={chosen.includes(place.id)}
                onChange={(_e, d) => toggle(place.id, d.checked === true)}
              />
            ))}
            {problems.places ? (
              <Text id="new-loan-places-error" className={styles.error} role="alert">
                {problems.places}
              </Text>
            ) : null}
          </fieldset>
          <div className={styles.dates}>
            <Field label={t.startField} required hint={t.quarterHint} validationMessage={problems.start}>
              <Input type="datetime-local" step={900} value={start} onChange={(_e, d) => setStart(d.value)} />
            </Field>
            <Field label={t.endField} required validationMessage={problems.end}>
              <Input type="datetime-local" step={900} value={end} onChange={(_e, d) => setEnd(d.value)} />
            </Field>
          </div>
          {error ? <ErrorBar error={error} l10n={l10n} /> : null}
          <div className={styles.buttons}>
            <Button appearance="primary" type="submit" disabled={busy}>
              {busy ? t.creating : t.create}
            </Button>
            <Button appearance="secondary" onClick={onClose}>
              {t.close}
            </Button>
          </div>
        </form>
      </Section>
    </div>
  );
}
