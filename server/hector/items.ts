import { notFound } from '../errors';
import { isUuid, type Db } from './db';
import { placeOverrides, storeSettings, toPlace, toStore } from './mappers';
import type { ItemKind, ItemRef } from './port';
import { effectiveSettings, type ItemToCheck } from './rules';

/** A loan item with what the rules need to know about it. */
export interface ResolvedItem extends ItemToCheck {
  kind: ItemKind;
  storeId: string;
}

/** Same item twice in a request is one item. */
export function distinctItems(refs: ItemRef[]): ItemRef[] {
  const seen = new Set<string>();
  return refs.filter((r) => {
    const key = `${r.kind}:${r.id.toLowerCase()}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * Loads the items with their effective settings (place override else store, K2). With
 * `lock`, the place and asset rows are locked FOR UPDATE in id order: this is the database-level
 * guarantee of V4 — two transactions booking the same item run their availability check one after
 * the other, on every instance sharing the database, and the fixed order rules out deadlocks.
 */
export async function resolveItems(
  trx: Db,
  refs: ItemRef[],
  options: { lock: boolean },
): Promise<ResolvedItem[]> {
  for (const ref of refs) {
    if (!isUuid(ref.id)) throw notFound(`No ${ref.kind} with id ${ref.id}.`);
  }
  const placeIds = [...new Set(refs.filter((r) => r.kind === 'place').map((r) => r.id.toLowerCase()))].sort();
  const assetIds = [...new Set(refs.filter((r) => r.kind === 'asset').map((r) => r.id.toLowerCase()))].sort();
  const resolved = new Map<string, ResolvedItem>();

  if (placeIds.length > 0) {
    let query = trx.selectFrom('hector_place').selectAll().where('id', 'in', placeIds).orderBy('id');
    if (options.lock) query = query.forUpdate();
    for (const row of await query.execute()) {
      const place = toPlace(row);
      resolved.set(`place:${place.id}`, {
        kind: 'place',
        id: place.id,
        name: place.name,
        active: place.active,
        storeId: place.storeId,
        settings: effectiveSettings(await storeSettingsOf(trx, place.storeId), placeOverrides(place)),
      });
    }
  }
  if (assetIds.length > 0) {
    let query = trx.selectFrom('hector_asset').selectAll().where('id', 'in', assetIds).orderBy('id');
    if (options.lock) query = query.forUpdate();
    for (const row of await query.execute()) {
      resolved.set(`asset:${row.id}`, {
        kind: 'asset',
        id: row.id,
        name: row.name,
        active: row.active,
        storeId: row.store_id,
        settings: effectiveSettings(await storeSettingsOf(trx, row.store_id)),
      });
    }
  }
  return refs.map((ref) => {
    const item = resolved.get(`${ref.kind}:${ref.id.toLowerCase()}`);
    if (!item) throw notFound(`No ${ref.kind} with id ${ref.id}.`);
    return item;
  });
}

async function storeSettingsOf(trx: Db, storeId: string) {
  const row = await trx
    .selectFrom('hector_store')
    .selectAll()
    .where('id', '=', storeId)
    .executeTakeFirstOrThrow();
  return storeSettings(toStore(row));
}
