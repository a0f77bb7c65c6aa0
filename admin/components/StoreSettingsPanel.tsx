import { Field, Input, Switch } from '@fluentui/react-components';
import { useState, type FormEvent } from 'react';
import type { AdminApi } from '../api';
import {
  parsePositive,
  sameSchedule,
  scheduleDraft,
  scheduleFromDraft,
  scheduleProblems,
} from '../bookingOptions';
import type { Localization } from '../i18n';
import type { Store, StorePatch } from '../../contract/hector';
import { ErrorBar } from './common';
import { EditPanel } from './EditPanel';
import { ScheduleFields } from './ScheduleFields';

export interface StoreSettingsPanelProps {
  api: AdminApi;
  l10n: Localization;
  store: Store;
  onSaved: (store: Store) => void;
  onClose: () => void;
}

type Problems = Partial<
  Record<
    'timeZone' | 'bookingWindow' | 'maxDuration' | 'autoRelease' | 'checkInBefore' | 'checkInAfter',
    string
  >
>;

/** Minutes of the check-in window: '' or a whole number ≥ 0 (undefined: not one). */
const parseMinutes = (value: string): number | undefined =>
  /^\d{1,3}$/.test(value.trim()) ? Number(value.trim()) : undefined;

/**
 * K1/K2 on the store: time zone, schedule, booking window, maximum loan duration, automatic
 * check-out and close. The places inherit what they do not set themselves. Only changes are sent.
 */
export function StoreSettingsPanel({ api, l10n, store, onSaved, onClose }: StoreSettingsPanelProps) {
  const t = l10n.strings.booking;
  const text = (n: number | null | undefined) => (n == null ? '' : String(n));
  const [timeZone, setTimeZone] = useState(store.timeZone ?? '');
  const [schedule, setSchedule] = useState(() => scheduleDraft(store.schedule));
  const [bookingWindow, setBookingWindow] = useState(text(store.bookingWindowDays));
  const [maxDuration, setMaxDuration] = useState(text(store.maxDurationMinutes));
  const [autoCheckOut, setAutoCheckOut] = useState(store.autoCheckOut ?? false);
  const [autoClose, setAutoClose] = useState(store.autoClose ?? false);
  // B9: no-show release and the check-in window.
  const [autoRelease, setAutoRelease] = useState(text(store.autoReleaseMinutes));
  const [checkInBefore, setCheckInBefore] = useState(text(store.checkInBeforeMinutes ?? 10));
  const [checkInAfter, setCheckInAfter] = useState(text(store.checkInAfterMinutes ?? 10));
  const [problems, setProblems] = useState<Problems>({});
  const [showDays, setShowDays] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const windowDays = parsePositive(bookingWindow);
    const duration = parsePositive(maxDuration);
    const found: Problems = {};
    if (!timeZone.trim()) found.timeZone = t.errors.timeZone;
    if (windowDays === undefined) found.bookingWindow = t.errors.days;
    if (duration === undefined) found.maxDuration = t.errors.number;
    const release = parsePositive(autoRelease);
    const before = parseMinutes(checkInBefore);
    const after = parseMinutes(checkInAfter);
    if (release === undefined) found.autoRelease = t.errors.number;
    if (before === undefined) found.checkInBefore = t.errors.checkIn;
    if (after === undefined) found.checkInAfter = t.errors.checkIn;
    const dayProblems = Object.keys(scheduleProblems(schedule)).length > 0;
    setProblems(found);
    setShowDays(dayProblems);
    if (Object.keys(found).length > 0 || dayProblems) return;

    const patch: StorePatch = {};
    if (timeZone.trim() !== (store.timeZone ?? '')) patch.timeZone = timeZone.trim();
    const newSchedule = scheduleFromDraft(schedule);
    if (!sameSchedule(newSchedule, store.schedule)) patch.schedule = newSchedule;
    if (windowDays !== (store.bookingWindowDays ?? null)) patch.bookingWindowDays = windowDays;
    if (duration !== (store.maxDurationMinutes ?? null)) patch.maxDurationMinutes = duration;
    if (autoCheckOut !== (store.autoCheckOut ?? false)) patch.autoCheckOut = autoCheckOut;
    if (autoClose !== (store.autoClose ?? false)) patch.autoClose = autoClose;
    if (release !== (store.autoReleaseMinutes ?? null)) patch.autoReleaseMinutes = release;
    if (before !== undefined && before !== (store.checkInBeforeMinutes ?? 10))
      patch.checkInBeforeMinutes = before;
    if (after !== undefined && after !== (store.checkInAfterMinutes ?? 10)) patch.checkInAfterMinutes = after;
    if (Object.keys(patch).length === 0) {
      onClose();
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      onSaved(await api.updateStore(store.id, patch));
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return (
    <EditPanel
      title={t.storeFormTitle(store.name)}
      onSubmit={submit}
      onCancel={onClose}
      busy={busy}
      saveLabel={t.save}
      savingLabel={t.saving}
      cancelLabel={t.cancel}
    >
      <Field label={t.timeZone} hint={t.timeZoneHint} validationMessage={problems.timeZone} required>
        <Input value={timeZone} onChange={(_e, d) => setTimeZone(d.value)} />
      </Field>
      <Field label={t.bookingWindow} hint={t.bookingWindowHint} validationMessage={problems.bookingWindow}>
        <Input inputMode="numeric" value={bookingWindow} onChange={(_e, d) => setBookingWindow(d.value)} />
      </Field>
      <Field label={t.maxDuration} hint={t.maxDurationStoreHint} validationMessage={problems.maxDuration}>
        <Input inputMode="numeric" value={maxDuration} onChange={(_e, d) => setMaxDuration(d.value)} />
      </Field>
      <ScheduleFields
        l10n={l10n}
        draft={schedule}
        onChange={setSchedule}
        problems={showDays ? scheduleProblems(schedule) : {}}
        unsetLabel={t.alwaysOpen}
        ownLabel={t.scheduleWithHours}
        idPrefix={`store-${store.id}`}
      />
      <Switch
        label={t.autoCheckOut}
        checked={autoCheckOut}
        onChange={(_e, d) => setAutoCheckOut(d.checked)}
      />
      <Switch label={t.autoClose} checked={autoClose} onChange={(_e, d) => setAutoClose(d.checked)} />
      <Field label={t.autoRelease} hint={t.autoReleaseHint} validationMessage={problems.autoRelease}>
        <Input inputMode="numeric" value={autoRelease} onChange={(_e, d) => setAutoRelease(d.value)} />
      </Field>
      <Field label={t.checkInBefore} validationMessage={problems.checkInBefore}>
        <Input inputMode="numeric" value={checkInBefore} onChange={(_e, d) => setCheckInBefore(d.value)} />
      </Field>
      <Field label={t.checkInAfter} validationMessage={problems.checkInAfter}>
        <Input inputMode="numeric" value={checkInAfter} onChange={(_e, d) => setCheckInAfter(d.value)} />
      </Field>
      {error ? <ErrorBar error={error} l10n={l10n} /> : null}
    </EditPanel>
  );
}
