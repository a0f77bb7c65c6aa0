import type { Kysely } from 'kysely';

/**
 * Immutable ids (issue 13). Graph names items in notifications by immutable id only when the
 * subscription itself was created with `Prefer: IdType="ImmutableId"` (GDC
 * concepts/outlook-immutable-id.md), and earlier versions did not ask: their rows get no
 * `id_type` (null = regular ids) and are replaced once. The translation of the event ids stored
 * before needs Graph, so it is done at start-up, and marked done in app_state
 * (server/sync/immutableIds.ts).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('graph_subscriptions').addColumn('id_type', 'text').execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('graph_subscriptions').dropColumn('id_type').execute();
}
