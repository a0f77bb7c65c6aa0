import { Field, Input, Radio, RadioGroup } from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import type { AdminApi } from '../api';
import {
  fromInherited,
  parsePositive,
  sameSchedule,
  scheduleDraft,
  scheduleFromDraft,
  scheduleProblems,
  toInherited,
  type Inherited,
} from '../bookingOptions';
import type { Localization } from '../i18n';
import type { Place, PlaceOverrides, Store } from '../../contract/hector';
import { ErrorBar } from './common';
import { EditPanel } from './EditPanel';
import { ScheduleFields } from './ScheduleFields';

export interface PlaceOptionsPanelProps {
  api: AdminApi;
  l10n: Localization;
  place: Place;
  /** The place's store, for what "use the store's" means; undefined when not known. */
  store: Store | undefined;
  onSaved: (place: Place) => void;
  onClose: () => void;
}

/**
 * R2: the place's own booking options, set by hand since Graph does not expose the room's; each
 * one unset falls back to the store's (K1, K2). Only the options that changed are sent.
 */
export function PlaceOptionsPanel({ api, l10n, place, store, onSaved, onClose }: PlaceOptionsPanelProps) {
  const t = l10n.strings.booking;
  const [schedule, setSchedule] = useState(() => scheduleDraft(place.schedule));
  const [maxDuration, setMaxDuration] = useState(
    place.maxDurationMinutes == null ? '' : String(place.maxDurationMinutes),
  );
  const [autoCheckOut, setAutoCheckOut] = useState<Inherited>(toInherited(place.autoCheckOut));
  const [autoClose, setAutoClose] = useState<Inherited>(toInherited(place.autoClose));
  const [shown, setShown] = useState<{ duration?: string; schedule: boolean }>({ schedule: false });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  const onOff = (value: boolean | undefined) => (value === undefined ? '?' : value ? t.on : t.off);
  const storeDuration = store?.maxDurationMinutes == null ? t.noLimit : t.minutes(store.maxDurationMinutes);
  const problems = shown.schedule ? scheduleProblems(schedule) : {};

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const duration = parsePositive(maxDuration);
    const dayProblems = scheduleProblems(schedule);
    setShown({
      duration: duration === undefined ? t.errors.number : undefined,
      schedule: Object.keys(dayProblems).length > 0,
    });
    if (duration === undefined || Object.keys(dayProblems).length > 0) return;

    const patch: PlaceOverrides = {};
    const newSchedule = scheduleFromDraft(schedule);
    if (!sameSchedule(newSchedule, place.schedule)) patch.schedule = newSchedule;
    if (duration !== (place.maxDurationMinutes ?? null)) patch.maxDurationMinutes = duration;
    if (fromInherited(autoCheckOut) !== (place.autoCheckOut ?? null))
      patch.autoCheckOut = fromInherited(autoCheckOut);
    if (fromInherited(autoClose) !== (place.autoClose ?? null)) patch.autoClose = fromInherited(autoClose);
    if (Object.keys(patch).length === 0) {
      onClose();
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      onSaved(await api.updatePlace(place.id, patch));
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  const triState = (label: string, value: Inherited, set: (v: Inherited) => void, inherited?: boolean) => (
    <Field label={label}>
      <RadioGroup layout="horizontal" value={value} onChange={(_e, d) => set(d.value as Inherited)}>
        <Radio value="inherit" label={t.inheritValue(onOff(inherited))} />
        <Radio value="on" label={t.on} />
        <Radio value="off" label={t.off} />
      </RadioGroup>
    </Field>
  );

  return (
    <EditPanel
      title={t.formTitle(place.name)}
      onSubmit={submit}
      onCancel={onClose}
      busy={busy}
      saveLabel={t.save}
      savingLabel={t.saving}
      cancelLabel={t.cancel}
    >
      <ScheduleFields
        l10n={l10n}
        draft={schedule}
        onChange={setSchedule}
        problems={problems}
        unsetLabel={t.useStoreSchedule}
        ownLabel={t.ownSchedule}
        idPrefix={`place-${place.id}`}
      />
      <Field
        label={t.maxDuration}
        hint={t.maxDurationPlaceHint(storeDuration)}
        validationMessage={shown.duration}
      >
        <Input
          inputMode="numeric"
          value={maxDuration}
          placeholder={storeDuration}
          onChange={(_e, d) => setMaxDuration(d.value)}
        />
      </Field>
      {triState(t.autoCheckOut, autoCheckOut, setAutoCheckOut, store?.autoCheckOut)}
      {triState(t.autoClose, autoClose, setAutoClose, store?.autoClose)}
      {error ? <ErrorBar error={error} l10n={l10n} /> : null}
    </EditPanel>
  );
}
