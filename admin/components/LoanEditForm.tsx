import { Button, Checkbox, Field, Input, Label, Text, makeStyles, tokens } from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import type { AdminApi } from '../api';
import { isQuarterHour, parseLocalDateTime, toLocalInput } from '../format';
import type { Localization } from '../i18n';
import type { Asset, ItemRef, Loan, LoanPatch, Place } from '../../contract/hector';
import { ErrorBar, Section } from './common';

const useStyles = makeStyles({
  form: { display: 'grid', rowGap: tokens.spacingVerticalM, maxWidth: '640px' },
  dates: { display: 'flex', columnGap: tokens.spacingHorizontalM, flexWrap: 'wrap' },
  choices: {
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

type Problems = Partial<Record<'items' | 'start' | 'end', string>>;

const activeIds = (loan: Loan, kind: ItemRef['kind']) =>
  loan.items.filter((i) => i.kind === kind && i.status === 'active').map((i) => i.id);

/**
 * A loan's dates, rooms and assets changed in Hector (HU1: its Outlook event follows). Sends only
 * what changed, with the version read, so a change made meanwhile is refused rather than undone.
 */
export function LoanEditForm({
  loan,
  api,
  l10n,
  places,
  assets,
  onSaved,
  onClose,
}: {
  loan: Loan;
  api: AdminApi;
  l10n: Localization;
  places: Place[];
  assets: Asset[];
  onSaved: (loan: Loan) => void;
  onClose: () => void;
}) {
  const styles = useStyles();
  const t = l10n.strings.loans;
  const [start, setStart] = useState(() => toLocalInput(new Date(loan.start)));
  const [end, setEnd] = useState(() => toLocalInput(new Date(loan.end)));
  const [rooms, setRooms] = useState(() => activeIds(loan, 'place'));
  const [things, setThings] = useState(() => activeIds(loan, 'asset'));
  const [problems, setProblems] = useState<Problems>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState<string>();

  const validate = (): Problems => {
    const found: Problems = {};
    const s = parseLocalDateTime(start);
    const e = parseLocalDateTime(end);
    if (!s) found.start = t.errors.date;
    else if (!isQuarterHour(s)) found.start = t.errors.quarter;
    if (!e) found.end = t.errors.date;
    else if (!isQuarterHour(e)) found.end = t.errors.quarter;
    else if (s && e <= s) found.end = t.errors.order;
    if (rooms.length + things.length === 0) found.items = t.errors.places;
    return found;
  };

  const patchOf = (): LoanPatch => {
    const patch: LoanPatch = {};
    const s = parseLocalDateTime(start)!.toISOString();
    const e = parseLocalDateTime(end)!.toISOString();
    if (Date.parse(s) !== Date.parse(loan.start)) patch.start = s;
    if (Date.parse(e) !== Date.parse(loan.end)) patch.end = e;
    const same = (a: string[], b: string[]) => a.length === b.length && a.every((x) => b.includes(x));
    if (!same(rooms, activeIds(loan, 'place')) || !same(things, activeIds(loan, 'asset'))) {
      patch.items = [
        ...rooms.map((id) => ({ kind: 'place' as const, id })),
        ...things.map((id) => ({ kind: 'asset' as const, id })),
      ];
    }
    return patch;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = validate();
    setProblems(found);
    setError(undefined);
    setNotice(undefined);
    if (Object.keys(found).length > 0) return;
    const patch = patchOf();
    if (Object.keys(patch).length === 0) {
      setNotice(t.nothingToSave);
      return;
    }
    setBusy(true);
    try {
      onSaved(await api.updateLoan(loan.id, { ...patch, version: loan.version }));
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const toggle = (set: typeof setRooms, id: string, on: boolean) =>
    set((list) => (on ? [...list, id] : list.filter((x) => x !== id)));
  // Items the loan holds stay choosable even when their place or asset is no longer active.
  const choosable = <T extends { id: string; active: boolean }>(all: T[], held: string[]) =>
    all.filter((x) => x.active || held.includes(x.id));

  const choices = (
    legend: string,
    all: Array<{ id: string; name: string }>,
    chosen: string[],
    set: typeof setRooms,
  ) => (
    // A fieldset, not a Field: a Field would lend its one label to every checkbox.
    <fieldset className={styles.choices}>
      <legend className={styles.legend}>
        <Label>{legend}</Label>
      </legend>
      {all.map((x) => (
        <Checkbox
          key={x.id}
          label={x.name}
          checked={chosen.includes(x.id)}
          onChange={(_e, d) => toggle(set, x.id, d.checked === true)}
        />
      ))}
    </fieldset>
  );

  return (
    <div className={styles.box}>
      <Section title={t.editHeading(loan.number)} headingLevel="h3">
        <form className={styles.form} onSubmit={submit} noValidate aria-label={t.editHeading(loan.number)}>
          <div className={styles.dates}>
            <Field label={t.startField} required hint={t.quarterHint} validationMessage={problems.start}>
              <Input type="datetime-local" step={900} value={start} onChange={(_e, d) => setStart(d.value)} />
            </Field>
            <Field label={t.endField} required validationMessage={problems.end}>
              <Input type="datetime-local" step={900} value={end} onChange={(_e, d) => setEnd(d.value)} />
            </Field>
          </div>
          {choices(t.roomsField, choosable(places, rooms), rooms, setRooms)}
          {choices(t.assetsField, choosable(assets, things), things, setThings)}
          {problems.items ? (
            <Text className={styles.error} role="alert">
              {problems.items}
            </Text>
          ) : null}
          <div aria-live="polite">
            {notice ? <Text>{notice}</Text> : null}
            {error ? <ErrorBar error={error} l10n={l10n} /> : null}
          </div>
          <div className={styles.buttons}>
            <Button appearance="primary" type="submit" disabled={busy}>
              {busy ? t.saving : t.save}
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
