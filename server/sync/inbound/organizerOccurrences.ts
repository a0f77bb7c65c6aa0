import type * as MSGraph from '@microsoft/microsoft-graph-types';
import { GraphCallError } from '../../graph/errors';
import type { GraphGateway } from '../../graph/gateway';
import { readRoomCopy, type RoomCopy } from '../rules/roomCopy';

/**
 * B3, the organizer's own occurrences of a series, read at most once per series pass and only
 * when a room's copies cannot decide alone: an occurrence that left the last room of its loan
 * (cancelled, or moved to other rooms for that occurrence only), or an exception inviting a room
 * the series does not (did it accept?). Only the organizer's copy knows the answers (docs#5281).
 * Two reads: the master by its iCalUId (`/events` lists masters), then its instances in the window.
 * Returns a lookup by occurrence iCalUId: the occurrence, null when the organizer has no such
 * occurrence (cancelled, or the series gone), undefined when the organizer's mailbox cannot be read.
 */
export function organizerOccurrences(
  graph: GraphGateway,
  organizer: string,
  seriesICalUId: string,
  window: { start: Date; end: Date },
): (iCalUId: string) => Promise<RoomCopy | null | undefined> {
  let read: Promise<Map<string, MSGraph.Event> | null | undefined> | undefined;
  const load = async (): Promise<Map<string, MSGraph.Event> | null | undefined> => {
    try {
      const found = await graph.findEventsByICalUId(organizer, seriesICalUId);
      const master = found.find((e) => e.type === 'seriesMaster' && e.isOrganizer !== false);
      if (!master?.id || master.isCancelled) return null;
      const instances = await graph.listInstances(organizer, master.id, window);
      return new Map(instances.filter((e) => e.iCalUId && !e.isCancelled).map((e) => [e.iCalUId!, e]));
    } catch (error) {
      // An access policy or a mailbox gone: the rooms' copies decide alone.
      if (error instanceof GraphCallError && (error.graphStatus === 403 || error.graphStatus === 404))
        return undefined;
      throw error;
    }
  };
  return async (iCalUId) => {
    read ??= load();
    const all = await read;
    if (all === undefined) return undefined;
    const own = all?.get(iCalUId);
    return own ? readRoomCopy(own) : null;
  };
}
