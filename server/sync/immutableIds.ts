import type { Kysely } from 'kysely';
import { GraphCallError } from '../graph/errors';
import type { GraphGateway } from '../graph/gateway';
import type { Logger } from '../logger';
import type { Journal } from '../store/journal';
import type { Schema } from '../store/schema';

/**
 * The one-time upgrade to immutable ids (issue 13). Earlier versions subscribed without
 * `Prefer: IdType="ImmutableId"`, so room copies were linked under the regular ids their
 * notifications carried, while our reads and writes returned immutable ids (GDC
 * concepts/outlook-immutable-id.md). A notification naming a copy by immutable id (every one since
 * the subscriptions were replaced, subscriptions.ts) must find the links made before: every Graph
 * event id the store holds is translated once, then the upgrade is marked done in app_state.
 */
export const IMMUTABLE_IDS_UPGRADE = 'upgrade.immutable-ids';
/** Queue of the upgrade's one job, sent at each start-up (a no-op once done). */
export const IMMUTABLE_IDS_QUEUE = 'upgrade-immutable-ids';

export interface IdUpgradeDeps {
  db: Kysely<Schema>;
  /** The gateway of the saved settings; null when the integration is not configured. */
  graph(): Promise<GraphGateway | null>;
  journal: Journal;
  logger: Logger;
  now: () => Date;
}

export type IdUpgradeOutcome = 'done' | 'already done' | 'nothing to translate' | 'waiting for Graph';

/** Every stored event id, by the mailbox it belongs to (lower-case address). */
async function storedIds(db: Kysely<Schema>): Promise<Map<string, Set<string>>> {
  const byMailbox = new Map<string, Set<string>>();
  const add = (mailbox: string | null, id: string | null): void => {
    if (!mailbox || !id) return;
    const key = mailbox.toLowerCase();
    const set = byMailbox.get(key) ?? new Set<string>();
    set.add(id);
    byMailbox.set(key, set);
  };
  for (const r of await db.selectFrom('sync_room_copy').select(['room_email', 'event_id']).execute())
    add(r.room_email, r.event_id);
  for (const r of await db
    .selectFrom('sync_meeting_link')
    .select(['organizer_email', 'organizer_event_id'])
    .execute())
    add(r.organizer_email, r.organizer_event_id);
  for (const r of await db.selectFrom('sync_outbound_loan').select(['organizer_email', 'event_id']).execute())
    add(r.organizer_email, r.event_id);
  return byMailbox;
}

/**
 * restId → immutable id. translateExchangeIds first; where it is refused (the current Learn page
 * lists no application permission for it, the v1.0 page of 2023 lists User.Read.All), each event
 * is read once with the Prefer header, which returns its immutable id. Ids already immutable, or
 * of items that are gone, come back unchanged or not at all: they are left as they are.
 */
async function translate(graph: GraphGateway, mailbox: string, ids: string[]): Promise<Map<string, string>> {
  try {
    return await graph.translateToImmutableIds(mailbox, ids);
  } catch (error) {
    if (!(error instanceof GraphCallError && (error.forbidden || error.graphStatus === 400))) throw error;
  }
  const out = new Map<string, string>();
  for (const id of ids) {
    const event = await graph.getEvent(mailbox, id);
    if (event?.id) out.set(id, event.id);
  }
  return out;
}

/** Writes one mailbox's translations: room copies, organizer events of links and of outbound. */
async function apply(db: Kysely<Schema>, mailbox: string, map: Map<string, string>): Promise<number> {
  let changed = 0;
  await db.transaction().execute(async (tx) => {
    for (const [from, to] of map) {
      if (from === to) continue;
      changed++;
      const clash = await tx
        .selectFrom('sync_room_copy')
        .select('event_id')
        .where('room_email', '=', mailbox)
        .where('event_id', '=', to)
        .executeTakeFirst();
      // A copy already read under its immutable id since the upgrade began: that row is newer.
      if (clash)
        await tx
          .deleteFrom('sync_room_copy')
          .where('room_email', '=', mailbox)
          .where('event_id', '=', from)
          .execute();
      else
        await tx
          .updateTable('sync_room_copy')
          .set({ event_id: to })
          .where('room_email', '=', mailbox)
          .where('event_id', '=', from)
          .execute();
      await tx
        .updateTable('sync_meeting_link')
        .set({ organizer_event_id: to })
        .where('organizer_email', '=', mailbox)
        .where('organizer_event_id', '=', from)
        .execute();
      await tx
        .updateTable('sync_outbound_loan')
        .set({ event_id: to })
        .where('organizer_email', '=', mailbox)
        .where('event_id', '=', from)
        .execute();
    }
  });
  return changed;
}

/** Whether subscriptions of an earlier version (regular ids in their notifications) remain. */
export async function hasRegularIdSubscriptions(db: Kysely<Schema>): Promise<boolean> {
  const row = await db
    .selectFrom('graph_subscriptions')
    .select('id')
    .where('id_type', 'is', null)
    .limit(1)
    .executeTakeFirst();
  return Boolean(row);
}

/**
 * The upgrade, once: `replaceSubscriptions` first (the subscription maintenance, which replaces
 * those naming regular ids) so that new notifications name copies by immutable id, then the
 * translation of the ids stored before.
 */
export async function upgradeToImmutableIds(
  deps: IdUpgradeDeps,
  replaceSubscriptions: () => Promise<void> = async () => undefined,
): Promise<IdUpgradeOutcome> {
  if (await hasRegularIdSubscriptions(deps.db)) await replaceSubscriptions();
  const { db } = deps;
  const done = await db
    .selectFrom('app_state')
    .select('key')
    .where('key', '=', IMMUTABLE_IDS_UPGRADE)
    .executeTakeFirst();
  if (done) return 'already done';
  const byMailbox = await storedIds(db);
  let translated = 0;
  if (byMailbox.size) {
    const graph = await deps.graph();
    // Stays pending: the next start with a configured integration does it.
    if (!graph) return 'waiting for Graph';
    for (const [mailbox, ids] of byMailbox) {
      translated += await apply(db, mailbox, await translate(graph, mailbox, [...ids]));
    }
  }
  const at = deps.now();
  await db
    .insertInto('app_state')
    .values({
      key: IMMUTABLE_IDS_UPGRADE,
      value: JSON.stringify({ translated, mailboxes: byMailbox.size, at: at.toISOString() }),
      updated_at: at,
    })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  if (!byMailbox.size) return 'nothing to translate';
  deps.logger.info(
    { event: 'upgrade.immutable_ids', translated, mailboxes: byMailbox.size },
    'stored event ids translated to immutable ids',
  );
  await deps.journal.record({
    kind: 'subscription',
    message: `Upgrade: ${translated} stored event id(s) in ${byMailbox.size} mailbox(es) translated to immutable ids.`,
    details: { translated, mailboxes: byMailbox.size },
  });
  return 'done';
}
