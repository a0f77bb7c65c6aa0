import type { Kysely } from 'kysely';
import type { RoomDetails, RoomImportResult } from '../../contract/admin';
import { GraphCallError } from '../graph/errors';
import type { GraphGateway, GraphRoom } from '../graph/gateway';
import type { HectorPort } from '../hector/port';
import type { Logger } from '../logger';
import type { Schema } from '../store/schema';
import type { Journal } from '../store/journal';
import type { RoomRemovalReviews } from '../store/roomRemovalReviews';
import { holdRemoval, isSuspiciousImport } from './roomRemovalGuard';
import { journalMessage } from './journalText/render';

/** What room import needs from Hector (R1): upsert by room e-mail, deactivate the missing. */
export type RoomPlaces = Pick<HectorPort, 'upsertPlaceByEmail' | 'deactivatePlacesNotIn'>;

export interface RoomImportDeps {
  db: Kysely<Schema>;
  graph: GraphGateway;
  places?: RoomPlaces;
  journal: Journal;
  /** R1 guard: removals held back for the admin (roomRemovalGuard.ts). */
  reviews: RoomRemovalReviews;
  now: () => Date;
  logger: Logger;
}

/** What an import did, as the admin API reports it (contract/admin.ts). */
export type { RoomImportResult };

/** R3: "Non-Hector ,  PROJECTOR" → ["non-hector", "projector"]. */
export function parseIgnoredTags(text: string | null | undefined): string[] {
  return (text ?? '')
    .split(',')
    .map((t) => t.trim().toLowerCase())
    .filter(Boolean);
}

/** R3: a room with at least one ignored tag is not imported (case and surrounding spaces ignored). */
export function isIgnoredRoom(room: Pick<GraphRoom, 'tags'>, ignoredTags: string[]): boolean {
  if (ignoredTags.length === 0) return false;
  return room.tags.some((t) => ignoredTags.includes(String(t).trim().toLowerCase()));
}

/** Places API first; without Place.Read.All, the users whose mailbox is a room (S2). */
export async function listGraphRooms(
  graph: GraphGateway,
): Promise<{ rooms: GraphRoom[]; source: 'places' | 'users' }> {
  try {
    return { rooms: await graph.listRoomsFromPlaces(), source: 'places' };
  } catch (error) {
    if (!(error instanceof GraphCallError && error.forbidden)) throw error;
    return { rooms: await graph.listRoomsFromUsers(), source: 'users' };
  }
}

/**
 * Flow 1 (R1–R3): Graph rooms → drop ignored tags → upsert places by e-mail (room ids are not
 * immutable) → deactivate the missing, never delete them (their loans stay).
 */
export async function importRooms(deps: RoomImportDeps, ignoredTagsText: string): Promise<RoomImportResult> {
  const ignoredTags = parseIgnoredTags(ignoredTagsText);
  const { rooms, source } = await listGraphRooms(deps.graph);
  const kept = rooms.filter((r) => !isIgnoredRoom(r, ignoredTags));
  const ignored = rooms.filter((r) => isIgnoredRoom(r, ignoredTags)).map((r) => r.email);
  const keptEmails = new Set(kept.map((r) => r.email));

  const previous = await deps.db.selectFrom('integration_rooms').selectAll().execute();
  const before = new Map(previous.map((r) => [r.email, r]));
  const renamed: RoomImportResult['renamed'] = [];
  const now = deps.now();

  for (const room of kept) {
    const old = before.get(room.email);
    if (old && old.name !== room.name) renamed.push({ email: room.email, from: old.name, to: room.name });
    await deps.places?.upsertPlaceByEmail({
      email: room.email,
      name: room.name,
      address: room.address,
      building: room.building,
      capacity: room.capacity,
      externalKey: room.email,
    });
    // Served as is by GET /api/admin/integration/rooms.
    const details: RoomDetails = {
      address: room.address,
      addressParts: room.addressParts,
      building: room.building,
      capacity: room.capacity,
      floor: room.floor,
      tags: room.tags,
      source: room.source,
    };
    await deps.db
      .insertInto('integration_rooms')
      .values({
        email: room.email,
        name: room.name,
        user_id: room.userId,
        active: true,
        details: JSON.stringify(details),
        updated_at: now,
      })
      .onConflict((oc) =>
        oc.column('email').doUpdateSet({
          name: room.name,
          user_id: room.userId ?? old?.user_id ?? null,
          active: true,
          details: JSON.stringify(details),
          updated_at: now,
        }),
      )
      .execute();
  }

  const missing = previous.filter((r) => r.active && !keptEmails.has(r.email)).map((r) => r.email);
  const activeBefore = previous.filter((r) => r.active).length;
  // Counted on Graph's whole answer: rooms newly tagged to be ignored are a choice, not a lag.
  const held = isSuspiciousImport(rooms.length, activeBefore, missing.length) ? missing : [];
  const deactivated = held.length > 0 ? [] : missing;
  if (deactivated.length > 0) {
    await deps.db
      .updateTable('integration_rooms')
      .set({ active: false, updated_at: now })
      .where('email', 'in', deactivated)
      .execute();
  }
  await deps.places?.deactivatePlacesNotIn([...keptEmails, ...held]);
  if (held.length > 0) {
    await holdRemoval(deps, { source, seen: rooms.length, activeBefore, rooms: held });
  } else {
    await deps.reviews.supersedePending(now);
  }

  const result: RoomImportResult = {
    source,
    active: [...keptEmails, ...held].sort(),
    ignored,
    deactivated,
    renamed,
    ...(held.length > 0 ? { pendingRemoval: [...held].sort() } : {}),
  };
  await deps.journal.record({
    kind: 'rooms',
    ...journalMessage('rooms.imported', {
      source,
      active: kept.length,
      ignored: ignored.length,
      deactivated: deactivated.length,
      renamed: renamed.length,
      held: held.length,
    }),
    details: { ...result },
  });
  deps.logger.info(
    {
      event: 'rooms.imported',
      source,
      active: kept.length,
      ignored,
      deactivated,
      renamed,
      held: held.length,
    },
    'rooms imported',
  );
  return result;
}

/**
 * The admin confirmed a held-back removal: these rooms are deactivated (R1: never deleted), in the
 * service and in Hector. A review always names the latest import's missing rooms: an import that
 * saw some of them again superseded it.
 */
export async function deactivateRooms(
  deps: Pick<RoomImportDeps, 'db' | 'places' | 'now'>,
  emails: string[],
): Promise<string[]> {
  if (emails.length === 0) return [];
  const rows = await deps.db
    .updateTable('integration_rooms')
    .set({ active: false, updated_at: deps.now() })
    .where('email', 'in', emails)
    .where('active', '=', true)
    .returning('email')
    .execute();
  await deps.places?.deactivatePlacesNotIn(await activeRoomEmails(deps.db));
  return rows.map((r) => r.email).sort();
}

/** Rooms currently synchronised (active), lower-case e-mails. */
export async function activeRoomEmails(db: Kysely<Schema>): Promise<string[]> {
  const rows = await db
    .selectFrom('integration_rooms')
    .select('email')
    .where('active', '=', true)
    .orderBy('email')
    .execute();
  return rows.map((r) => r.email);
}
