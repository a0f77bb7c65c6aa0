import type { HectorPort } from '../hector/port';
import type { SyncedRoom } from './rules/syncedRoom';

/** The synced rooms as Hector holds them now: its active places marked synced that have an e-mail. */
export async function listSyncedRooms(hector: Pick<HectorPort, 'listPlaces'>): Promise<SyncedRoom[]> {
  const places = await hector.listPlaces({ active: true, synced: true });
  return places
    .filter((p) => p.email)
    .map((p) => ({ email: p.email!.toLowerCase(), placeId: p.id, name: p.name }));
}
