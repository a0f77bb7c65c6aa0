import { sql } from 'kysely';
import { AppError, notFound } from '../errors';
import { isUuid, type Db } from './db';
import { emailTaken } from './errors';
import { jsonOrNull, toAsset, toPlace, toStore, toUser } from './mappers';
import type {
  Asset,
  AssetInput,
  Origin,
  Place,
  PlaceInput,
  RoomInput,
  Store,
  StoreInput,
  User,
} from './port';

/**
 * The catalogue of the loans core: stores, places, assets and users. Plain reads and writes;
 * booking rules live in rules.ts and the loans service.
 */
const isUniqueViolation = (error: unknown): boolean => (error as { code?: unknown })?.code === '23505';

export class Catalog {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
  ) {}

  // ── stores ──
  async listStores(): Promise<Store[]> {
    const rows = await this.db
      .selectFrom('hector_store')
      .selectAll()
      .orderBy('is_default', 'desc')
      .orderBy('name')
      .execute();
    return rows.map(toStore);
  }

  async getStore(id: string, db: Db = this.db): Promise<Store | null> {
    if (!isUuid(id)) return null;
    const row = await db.selectFrom('hector_store').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toStore(row) : null;
  }

  async defaultStore(db: Db = this.db): Promise<Store> {
    const row = await db
      .selectFrom('hector_store')
      .selectAll()
      .where('is_default', '=', true)
      .executeTakeFirst();
    if (!row) throw new AppError('INTERNAL', 'No default store: migration 002_hector was not applied.');
    return toStore(row);
  }

  async requireStore(id: string, db: Db = this.db): Promise<Store> {
    const store = await this.getStore(id, db);
    if (!store) throw notFound(`No store with id ${id}.`);
    return store;
  }

  async createStore(input: StoreInput): Promise<Store> {
    const row = await this.db
      .insertInto('hector_store')
      .values({
        name: input.name,
        time_zone: input.timeZone ?? 'Europe/Paris',
        schedule: jsonOrNull(input.schedule),
        booking_window_days: input.bookingWindowDays ?? null,
        max_duration_minutes: input.maxDurationMinutes ?? null,
        auto_check_out: input.autoCheckOut ?? false,
        auto_close: input.autoClose ?? false,
        auto_release_minutes: input.autoReleaseMinutes ?? null,
        ...(input.checkInBeforeMinutes !== undefined
          ? { check_in_before_minutes: input.checkInBeforeMinutes }
          : {}),
        ...(input.checkInAfterMinutes !== undefined
          ? { check_in_after_minutes: input.checkInAfterMinutes }
          : {}),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toStore(row);
  }

  async updateStore(id: string, patch: Partial<StoreInput>): Promise<Store> {
    await this.requireStore(id);
    const row = await this.db
      .updateTable('hector_store')
      .set({
        updated_at: this.now(),
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.timeZone !== undefined ? { time_zone: patch.timeZone } : {}),
        ...(patch.schedule !== undefined ? { schedule: jsonOrNull(patch.schedule) } : {}),
        ...(patch.bookingWindowDays !== undefined ? { booking_window_days: patch.bookingWindowDays } : {}),
        ...(patch.maxDurationMinutes !== undefined ? { max_duration_minutes: patch.maxDurationMinutes } : {}),
        ...(patch.autoCheckOut !== undefined ? { auto_check_out: patch.autoCheckOut } : {}),
        ...(patch.autoClose !== undefined ? { auto_close: patch.autoClose } : {}),
        ...(patch.autoReleaseMinutes !== undefined ? { auto_release_minutes: patch.autoReleaseMinutes } : {}),
        ...(patch.checkInBeforeMinutes !== undefined
          ? { check_in_before_minutes: patch.checkInBeforeMinutes }
          : {}),
        ...(patch.checkInAfterMinutes !== undefined
          ? { check_in_after_minutes: patch.checkInAfterMinutes }
          : {}),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return toStore(row);
  }

  // ── places ──
  async listPlaces(filter: { active?: boolean; synced?: boolean } = {}): Promise<Place[]> {
    let query = this.db.selectFrom('hector_place').selectAll();
    if (filter.active !== undefined) query = query.where('active', '=', filter.active);
    if (filter.synced !== undefined) query = query.where('synced', '=', filter.synced);
    const rows = await query.orderBy('name').orderBy('id').execute();
    return rows.map(toPlace);
  }

  async getPlace(id: string): Promise<Place | null> {
    if (!isUuid(id)) return null;
    const row = await this.db.selectFrom('hector_place').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toPlace(row) : null;
  }

  async createPlace(input: PlaceInput): Promise<Place> {
    const storeId = input.storeId
      ? (await this.requireStore(input.storeId)).id
      : (await this.defaultStore()).id;
    try {
      const row = await this.db
        .insertInto('hector_place')
        .values({
          name: input.name,
          email: input.email ?? null,
          address: input.address ?? null,
          building: input.building ?? null,
          capacity: input.capacity ?? null,
          store_id: storeId,
          active: input.active ?? true,
          external_key: input.externalKey ?? null,
          schedule: jsonOrNull(input.schedule),
          max_duration_minutes: input.maxDurationMinutes ?? null,
          auto_check_out: input.autoCheckOut ?? null,
          auto_close: input.autoClose ?? null,
          check_in_before_minutes: input.checkInBeforeMinutes ?? null,
          check_in_after_minutes: input.checkInAfterMinutes ?? null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      return toPlace(row);
    } catch (error) {
      if (isUniqueViolation(error)) throw emailTaken(input.email ?? '');
      throw error;
    }
  }

  async updatePlace(id: string, patch: Partial<PlaceInput>): Promise<Place> {
    if (!(await this.getPlace(id))) throw notFound(`No place with id ${id}.`);
    if (patch.storeId !== undefined) await this.requireStore(patch.storeId);
    try {
      const row = await this.db
        .updateTable('hector_place')
        .set({
          updated_at: this.now(),
          ...(patch.name !== undefined ? { name: patch.name } : {}),
          ...(patch.email !== undefined ? { email: patch.email } : {}),
          ...(patch.address !== undefined ? { address: patch.address } : {}),
          ...(patch.building !== undefined ? { building: patch.building } : {}),
          ...(patch.capacity !== undefined ? { capacity: patch.capacity } : {}),
          ...(patch.storeId !== undefined ? { store_id: patch.storeId } : {}),
          ...(patch.active !== undefined ? { active: patch.active } : {}),
          ...(patch.externalKey !== undefined ? { external_key: patch.externalKey } : {}),
          ...(patch.schedule !== undefined ? { schedule: jsonOrNull(patch.schedule) } : {}),
          ...(patch.maxDurationMinutes !== undefined
            ? { max_duration_minutes: patch.maxDurationMinutes }
            : {}),
          ...(patch.autoCheckOut !== undefined ? { auto_check_out: patch.autoCheckOut } : {}),
          ...(patch.autoClose !== undefined ? { auto_close: patch.autoClose } : {}),
          ...(patch.checkInBeforeMinutes !== undefined
            ? { check_in_before_minutes: patch.checkInBeforeMinutes }
            : {}),
          ...(patch.checkInAfterMinutes !== undefined
            ? { check_in_after_minutes: patch.checkInAfterMinutes }
            : {}),
        })
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirstOrThrow();
      return toPlace(row);
    } catch (error) {
      if (isUniqueViolation(error)) throw emailTaken(patch.email ?? '');
      throw error;
    }
  }

  /** R1: rooms are matched by e-mail, case-insensitively (room ids in Exchange are not immutable). */
  async upsertPlaceByEmail(room: RoomInput): Promise<Place> {
    const store = await this.defaultStore();
    const optional = {
      ...(room.address !== undefined ? { address: room.address } : {}),
      ...(room.building !== undefined ? { building: room.building } : {}),
      ...(room.capacity !== undefined ? { capacity: room.capacity } : {}),
      ...(room.externalKey !== undefined ? { external_key: room.externalKey } : {}),
    };
    const row = await this.db
      .insertInto('hector_place')
      .values({
        name: room.name,
        email: room.email,
        store_id: store.id,
        synced: true,
        active: true,
        ...optional,
      })
      .onConflict((oc) =>
        oc.expression(sql`lower(email)`).doUpdateSet({
          name: room.name,
          email: room.email,
          synced: true,
          active: true,
          updated_at: this.now(),
          ...optional,
        }),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
    return toPlace(row);
  }

  async deactivatePlacesNotIn(emails: string[]): Promise<number> {
    const keep = [...new Set(emails.map((e) => e.trim().toLowerCase()))];
    let query = this.db
      .updateTable('hector_place')
      .set({ active: false, updated_at: this.now() })
      .where('synced', '=', true)
      .where('active', '=', true);
    if (keep.length > 0) query = query.where(sql<string>`lower(email)`, 'not in', keep);
    const result = await query.executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  // ── assets ──
  async listAssets(): Promise<Asset[]> {
    const rows = await this.db.selectFrom('hector_asset').selectAll().orderBy('name').orderBy('id').execute();
    return rows.map(toAsset);
  }

  async getAsset(id: string): Promise<Asset | null> {
    if (!isUuid(id)) return null;
    const row = await this.db.selectFrom('hector_asset').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toAsset(row) : null;
  }

  async createAsset(input: AssetInput): Promise<Asset> {
    const storeId = input.storeId
      ? (await this.requireStore(input.storeId)).id
      : (await this.defaultStore()).id;
    const row = await this.db
      .insertInto('hector_asset')
      .values({
        name: input.name,
        category: input.category ?? null,
        store_id: storeId,
        active: input.active ?? true,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toAsset(row);
  }

  async updateAsset(id: string, patch: Partial<AssetInput>): Promise<Asset> {
    if (!(await this.getAsset(id))) throw notFound(`No asset with id ${id}.`);
    if (patch.storeId !== undefined) await this.requireStore(patch.storeId);
    const row = await this.db
      .updateTable('hector_asset')
      .set({
        updated_at: this.now(),
        ...(patch.name !== undefined ? { name: patch.name } : {}),
        ...(patch.storeId !== undefined ? { store_id: patch.storeId } : {}),
        ...(patch.active !== undefined ? { active: patch.active } : {}),
        ...(patch.category !== undefined ? { category: patch.category } : {}),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    return toAsset(row);
  }

  // ── users ──
  /**
   * Finds the user by e-mail (case-insensitive) or creates it. Safe under concurrency: the
   * unique index decides, and a racing insert waits for the other transaction.
   */
  async ensureUser(
    email: string,
    displayName: string | undefined,
    source: Origin,
    db: Db = this.db,
  ): Promise<User> {
    const name = displayName?.trim() || email.split('@')[0];
    await db
      .insertInto('hector_user')
      .values({ email: email.trim(), display_name: name, source })
      .onConflict((oc) => oc.expression(sql`lower(email)`).doNothing())
      .execute();
    let row = await db
      .selectFrom('hector_user')
      .selectAll()
      .where(sql<string>`lower(email)`, '=', email.trim().toLowerCase())
      .executeTakeFirstOrThrow();
    if (displayName?.trim() && row.display_name !== displayName.trim()) {
      row = await db
        .updateTable('hector_user')
        .set({ display_name: displayName.trim() })
        .where('id', '=', row.id)
        .returningAll()
        .executeTakeFirstOrThrow();
    }
    return toUser(row);
  }
}
