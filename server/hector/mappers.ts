import type { Selectable } from 'kysely';
import type { Asset, Place, Store, User } from './port';
import type { PlaceOverrides, StoreSettings } from './rules';
import type {
  HectorAssetTable,
  HectorPlaceTable,
  HectorStoreTable,
  HectorUserTable,
} from '../store/tables/hector';

/** Rows to the port's plain objects, and the settings the rules read from them. */
export const toStore = (row: Selectable<HectorStoreTable>): Store => ({
  id: row.id,
  name: row.name,
  timeZone: row.time_zone,
  schedule: row.schedule,
  bookingWindowDays: row.booking_window_days,
  maxDurationMinutes: row.max_duration_minutes,
  autoCheckOut: row.auto_check_out,
  autoClose: row.auto_close,
  autoReleaseMinutes: row.auto_release_minutes,
  checkInBeforeMinutes: row.check_in_before_minutes,
  checkInAfterMinutes: row.check_in_after_minutes,
  isDefault: row.is_default,
});

export const toPlace = (row: Selectable<HectorPlaceTable>): Place => ({
  id: row.id,
  name: row.name,
  email: row.email,
  address: row.address,
  building: row.building,
  capacity: row.capacity,
  storeId: row.store_id,
  active: row.active,
  synced: row.synced,
  externalKey: row.external_key,
  schedule: row.schedule,
  maxDurationMinutes: row.max_duration_minutes,
  autoCheckOut: row.auto_check_out,
  autoClose: row.auto_close,
  checkInBeforeMinutes: row.check_in_before_minutes,
  checkInAfterMinutes: row.check_in_after_minutes,
});

export const toAsset = (row: Selectable<HectorAssetTable>): Asset => ({
  id: row.id,
  name: row.name,
  category: row.category,
  storeId: row.store_id,
  active: row.active,
});

export const toUser = (row: Selectable<HectorUserTable>): User => ({
  id: row.id,
  email: row.email,
  name: row.display_name,
  active: row.active,
  source: row.source,
});

export const storeSettings = (store: Store): StoreSettings => ({
  timeZone: store.timeZone,
  schedule: store.schedule,
  bookingWindowDays: store.bookingWindowDays,
  maxDurationMinutes: store.maxDurationMinutes,
  autoCheckOut: store.autoCheckOut,
  autoClose: store.autoClose,
});

export const placeOverrides = (place: Place): PlaceOverrides => ({
  schedule: place.schedule,
  maxDurationMinutes: place.maxDurationMinutes,
  autoCheckOut: place.autoCheckOut,
  autoClose: place.autoClose,
});

/** JSON columns are written as text so both backends parse them the same way. */
export const jsonOrNull = (value: unknown): string | null =>
  value === null || value === undefined ? null : JSON.stringify(value);
