import { randomBytes } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { SubscriptionSummary } from '../../contract/admin';
import { GraphCallError } from '../graph/errors';
import type { GraphGateway } from '../graph/gateway';
import type { GraphSubscriptionsTable } from '../store/tables/integration';
import type { Logger } from '../logger';
import type { Schema } from '../store/schema';
import type { Gaps } from '../store/gaps';
import type { Journal } from '../store/journal';
import { hashClientState, type SubscriptionDirectory } from '../store/subscriptionDirectory';
import type { LifecycleJob } from './jobs';
import { journalMessage } from './journalText/render';
import type { CertificateKeeper } from './richNotifications/certificates';
import { RICH_EVENT_SELECT } from './richNotifications/richCopy';

/** Graph's maximum lifetime of a subscription on Outlook events (GRAPH-FACTS "Change notifications"). */
export const MAX_LIFETIME_MINUTES = 4230;
/**
 * Renewed when it would expire within this (of a 70.5 h lifetime): about once a day, and the
 * 15-minute schedule gets many chances before the end.
 */
export const RENEW_WITHIN_MS = 48 * 60 * 60_000;
export const CHANGE_TYPES = 'created,updated,deleted';
/**
 * Subscriptions with resource data on Outlook events live at most 1 day (GDC
 * api-reference/v1.0/resources/subscription.md, lifetime table): renewed when within 12 h of the
 * end, so the 15-minute schedule has dozens of chances.
 */
export const MAX_RICH_LIFETIME_MINUTES = 1440;
export const RICH_RENEW_WITHIN_MS = 12 * 60 * 60_000;

export interface SubscriptionDeps {
  db: Kysely<Schema>;
  graph: GraphGateway;
  publicUrl: string;
  now: () => Date;
  journal: Journal;
  gaps: Gaps;
  directory: SubscriptionDirectory;
  logger: Logger;
  /** RICH_NOTIFICATIONS=on: subscribe with resource data under this certificate (issue 18). */
  rich?: CertificateKeeper;
}

/** What a maintenance pass did, as the admin API reports it (contract/admin.ts). */
export type { SubscriptionSummary };

type Row = Selectable<GraphSubscriptionsTable>;

const emptySummary = (): SubscriptionSummary => ({
  created: [],
  renewed: [],
  recreated: [],
  removed: [],
  failed: [],
});

export const roomResource = (roomEmail: string): string => `/users/${roomEmail}/events`;
/** A `$select` is required with resource data (GDC concepts/outlook-change-notifications-overview.md). */
export const richRoomResource = (roomEmail: string): string =>
  `${roomResource(roomEmail)}?$select=${RICH_EVENT_SELECT.join(',')}`;

const lifetimeOf = (rich: boolean): number => (rich ? MAX_RICH_LIFETIME_MINUTES : MAX_LIFETIME_MINUTES);

const expiryFrom = (now: Date, marginMinutes = 0, minutes = MAX_LIFETIME_MINUTES): Date =>
  new Date(now.getTime() + (minutes - marginMinutes) * 60_000);

/**
 * Asks for the maximum lifetime; when Graph's clock runs behind ours and finds it too far ahead
 * (400), asks again a few minutes short of it.
 */
async function withMaxExpiry<T>(
  now: Date,
  call: (expiry: Date) => Promise<T>,
  minutes = MAX_LIFETIME_MINUTES,
): Promise<T> {
  try {
    return await call(expiryFrom(now, 0, minutes));
  } catch (error) {
    if (!(error instanceof GraphCallError && error.graphStatus === 400 && /expiration/i.test(error.message)))
      throw error;
    return call(expiryFrom(now, 5, minutes));
  }
}

/** Graph refused resource data for this resource or tenant (a 400 that is not about the expiry). */
const refusesRich = (error: unknown): error is GraphCallError =>
  error instanceof GraphCallError && error.graphStatus === 400 && !/expiration/i.test(error.message);

async function createFor(deps: SubscriptionDeps, roomEmail: string): Promise<Row> {
  const clientState = randomBytes(32).toString('base64url');
  const hash = hashClientState(clientState);
  const now = deps.now();
  let certificate = deps.rich ? await deps.rich.current() : null;
  const create = (rich: boolean) =>
    withMaxExpiry(
      now,
      (expirationDateTime) =>
        deps.graph.createSubscription({
          resource: rich ? richRoomResource(roomEmail) : roomResource(roomEmail),
          changeType: CHANGE_TYPES,
          notificationUrl: `${deps.publicUrl}/webhooks/graph`,
          lifecycleNotificationUrl: `${deps.publicUrl}/webhooks/graph/lifecycle`,
          expirationDateTime,
          clientState,
          ...(rich && certificate
            ? { encryption: { certificate: certificate.certificate, certificateId: certificate.id } }
            : {}),
        }),
      lifetimeOf(rich),
    );
  let created;
  try {
    created = await create(Boolean(certificate));
  } catch (error) {
    if (!certificate || !refusesRich(error)) throw error;
    // Rich notifications refused here: plain ones, whose changes inbound reads (issue 18).
    certificate = null;
    created = await create(false);
    await deps.journal.record({
      kind: 'subscription',
      roomEmail,
      ...journalMessage('subscription.plain', { room: roomEmail, reason: error.message }),
      details: { subscriptionId: created.id },
    });
  }
  const rich = Boolean(certificate);
  // Known to the intake before the row is written: notifications can follow the 201 at once.
  deps.directory.remember(created.id, roomEmail, hash);
  const row: Row = {
    id: created.id,
    room_email: roomEmail,
    resource: rich ? richRoomResource(roomEmail) : roomResource(roomEmail),
    client_state_hash: hash,
    expires_at: created.expirationDateTime
      ? new Date(created.expirationDateTime)
      : expiryFrom(now, 0, lifetimeOf(rich)),
    confirmed_at: now,
    created_at: now,
    id_type: 'immutable',
    certificate_id: certificate?.id ?? null,
  };
  await deps.db.insertInto('graph_subscriptions').values(row).execute();
  return row;
}

async function dropRow(deps: SubscriptionDeps, id: string): Promise<void> {
  await deps.db.deleteFrom('graph_subscriptions').where('id', '=', id).execute();
  deps.directory.forget(id);
}

/**
 * The subscription is gone on Graph's side (removed, expired, 404 on renew): make a new one and
 * record the gap since we last knew it worked, for reconcile to replay (B2).
 */
async function recreate(deps: SubscriptionDeps, row: Row, reason: string): Promise<Row> {
  await deps.graph.deleteSubscription(row.id).catch(() => undefined);
  await dropRow(deps, row.id);
  const now = deps.now();
  const gap = await deps.gaps.record({
    roomEmail: row.room_email,
    from: new Date(row.confirmed_at),
    to: now,
    reason,
  });
  const fresh = await createFor(deps, row.room_email);
  await deps.journal.record({
    kind: 'gap',
    roomEmail: row.room_email,
    ...journalMessage('subscription.recreated', {
      room: row.room_email,
      reason,
      from: gap.from,
      to: gap.to,
    }),
    details: {
      oldSubscriptionId: row.id,
      subscriptionId: fresh.id,
      reason,
      from: gap.from,
      to: gap.to,
      gapId: gap.id,
    },
  });
  deps.logger.info(
    { event: 'subscription.recreated', roomEmail: row.room_email, reason, subscriptionId: fresh.id },
    'subscription recreated',
  );
  return fresh;
}

const failure = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** A subscription made by an earlier version, without `Prefer: IdType="ImmutableId"`. */
const namesRegularIds = (row: Row): boolean => row.id_type !== 'immutable';

/**
 * A room whose only subscription names events by regular id gets one that names them by
 * immutable id, as our links do (GDC concepts/outlook-immutable-id.md: only a subscription
 * created with the header does). The new one is made before the old one goes, so no change
 * falls between them; the old one is then an extra. Returns the rooms whose replacement failed:
 * they keep their old subscription until the next pass.
 */
async function replaceRegularIdSubscriptions(
  deps: SubscriptionDeps,
  rows: Row[],
  active: Set<string>,
  summary: SubscriptionSummary,
): Promise<Set<string>> {
  const failed = new Set<string>();
  const rooms = new Set(rows.filter((r) => active.has(r.room_email)).map((r) => r.room_email));
  for (const roomEmail of rooms) {
    const ofRoom = rows.filter((r) => r.room_email === roomEmail);
    if (!ofRoom.every(namesRegularIds)) continue;
    try {
      rows.unshift(await createFor(deps, roomEmail));
      summary.recreated.push(roomEmail);
    } catch (error) {
      failed.add(roomEmail);
      summary.failed.push({ roomEmail, message: failure(error) });
    }
  }
  return failed;
}

/**
 * Exactly one subscription per active room, naming events by immutable id: creates the missing,
 * replaces those of earlier versions, deletes extras and those of rooms that are no longer active
 * (or all of them when `activeRooms` is empty: integration off).
 */
export async function ensureRoomSubscriptions(
  deps: SubscriptionDeps,
  activeRooms: string[],
  summary: SubscriptionSummary = emptySummary(),
): Promise<SubscriptionSummary> {
  const active = new Set(activeRooms.map((e) => e.toLowerCase()));
  const rows = await deps.db
    .selectFrom('graph_subscriptions')
    .selectAll()
    .orderBy('created_at', 'desc')
    .execute();
  const notReplaced = await replaceRegularIdSubscriptions(deps, rows, active, summary);
  const kept = new Set<string>();
  for (const row of rows) {
    const keepable = !namesRegularIds(row) || notReplaced.has(row.room_email);
    if (active.has(row.room_email) && !kept.has(row.room_email) && keepable) {
      kept.add(row.room_email);
      continue;
    }
    try {
      await deps.graph.deleteSubscription(row.id);
      await dropRow(deps, row.id);
      summary.removed.push(row.room_email);
      await deps.journal.record({
        kind: 'subscription',
        roomEmail: row.room_email,
        ...journalMessage(
          !active.has(row.room_email)
            ? 'subscription.deleted'
            : namesRegularIds(row)
              ? 'subscription.replaced'
              : 'subscription.extra',
          { room: row.room_email },
        ),
        details: { subscriptionId: row.id },
      });
    } catch (error) {
      summary.failed.push({ roomEmail: row.room_email, message: failure(error) });
    }
  }
  for (const roomEmail of active) {
    if (kept.has(roomEmail)) continue;
    try {
      const row = await createFor(deps, roomEmail);
      summary.created.push(roomEmail);
      await deps.journal.record({
        kind: 'subscription',
        roomEmail,
        ...journalMessage('subscription.created', {
          room: roomEmail,
          until: new Date(row.expires_at).toISOString(),
        }),
        details: { subscriptionId: row.id },
      });
    } catch (error) {
      summary.failed.push({ roomEmail, message: failure(error) });
      deps.logger.warn(
        { event: 'subscription.create_failed', roomEmail, err: error },
        'subscription not created',
      );
    }
  }
  return summary;
}

/**
 * The scheduled pass: subscriptions that Graph no longer lists (silently expired or removed) or
 * that our clock says have expired are recreated with a gap; those expiring within 24 h are
 * renewed (a 404 on renew → recreated); then one subscription per active room is ensured.
 */
export async function maintainSubscriptions(
  deps: SubscriptionDeps,
  activeRooms: string[],
): Promise<SubscriptionSummary> {
  const summary = emptySummary();
  let live: Set<string> | undefined;
  try {
    live = new Set((await deps.graph.listSubscriptions()).map((s) => s.id));
  } catch (error) {
    deps.logger.warn(
      { event: 'subscription.list_failed', err: error },
      'could not list subscriptions; renewing blind',
    );
  }
  const active = new Set(activeRooms.map((e) => e.toLowerCase()));
  const rows = await deps.db.selectFrom('graph_subscriptions').selectAll().execute();
  for (const row of rows) {
    if (!active.has(row.room_email)) continue; // ensureRoomSubscriptions deletes it
    const now = deps.now();
    const expiresAt = new Date(row.expires_at);
    try {
      if ((live && !live.has(row.id)) || expiresAt <= now) {
        await recreate(deps, row, expiresAt <= now ? 'expired' : 'removed');
        summary.recreated.push(row.room_email);
        continue;
      }
      const rich = row.certificate_id !== null;
      // Rotation: a rich subscription moves onto the current certificate at once (GDC
      // …with-resource-data.md "Rotating keys": update existing subscriptions with the new one).
      const certificate = rich && deps.rich ? await deps.rich.current() : null;
      const rotate = certificate !== null && certificate.id !== row.certificate_id;
      if (!rotate && expiresAt.getTime() - now.getTime() > (rich ? RICH_RENEW_WITHIN_MS : RENEW_WITHIN_MS))
        continue;
      try {
        const encryption = rotate
          ? { certificate: certificate.certificate, certificateId: certificate.id }
          : undefined;
        const renewed = await withMaxExpiry(
          now,
          (expiry) => deps.graph.renewSubscription(row.id, expiry, encryption),
          lifetimeOf(rich),
        );
        await deps.db
          .updateTable('graph_subscriptions')
          .set({
            expires_at: renewed.expirationDateTime
              ? new Date(renewed.expirationDateTime)
              : expiryFrom(now, 0, lifetimeOf(rich)),
            confirmed_at: now,
            ...(rotate ? { certificate_id: certificate.id } : {}),
          })
          .where('id', '=', row.id)
          .execute();
        summary.renewed.push(row.room_email);
      } catch (error) {
        if (!(error instanceof GraphCallError && error.notFound)) throw error;
        await recreate(deps, row, 'not found on renewal');
        summary.recreated.push(row.room_email);
      }
    } catch (error) {
      summary.failed.push({ roomEmail: row.room_email, message: failure(error) });
      deps.logger.warn(
        { event: 'subscription.maintenance_failed', roomEmail: row.room_email, err: error },
        'maintenance failed',
      );
    }
  }
  const done = await ensureRoomSubscriptions(deps, activeRooms, summary);
  // The old keys go once no subscription names them (and a day has passed: late deliveries).
  await deps.rich
    ?.prune()
    .catch((error: unknown) =>
      deps.logger.warn({ event: 'subscription.certificate_prune_failed', err: error }, 'old keys not pruned'),
    );
  return done;
}

/** Lifecycle notifications (GRAPH-FACTS "Lifecycle"), handled in a job, never in the request. */
export async function handleLifecycle(deps: SubscriptionDeps, job: LifecycleJob): Promise<string> {
  const row = await deps.db
    .selectFrom('graph_subscriptions')
    .selectAll()
    .where('id', '=', job.subscriptionId)
    .executeTakeFirst();
  if (!row) return 'unknown subscription';
  const now = deps.now();
  switch (job.lifecycleEvent) {
    case 'reauthorizationRequired': {
      try {
        await deps.graph.reauthorizeSubscription(row.id);
      } catch (error) {
        if (!(error instanceof GraphCallError && error.notFound)) throw error;
        await recreate(deps, row, 'not found on reauthorization');
        return 'recreated';
      }
      await deps.db
        .updateTable('graph_subscriptions')
        .set({ confirmed_at: now })
        .where('id', '=', row.id)
        .execute();
      await deps.journal.record({
        kind: 'subscription',
        roomEmail: row.room_email,
        ...journalMessage('subscription.reauthorized', { room: row.room_email }),
        details: { subscriptionId: row.id },
      });
      return 'reauthorized';
    }
    case 'subscriptionRemoved':
      await recreate(deps, row, 'subscriptionRemoved');
      return 'recreated';
    case 'missed': {
      // The subscription lives on; some notifications did not: reconcile replays the gap.
      const gap = await deps.gaps.record({
        roomEmail: row.room_email,
        from: new Date(row.confirmed_at),
        to: now,
        reason: 'missed',
      });
      await deps.db
        .updateTable('graph_subscriptions')
        .set({ confirmed_at: now })
        .where('id', '=', row.id)
        .execute();
      await deps.journal.record({
        kind: 'gap',
        roomEmail: row.room_email,
        ...journalMessage('subscription.missed', { room: row.room_email, from: gap.from, to: gap.to }),
        details: { subscriptionId: row.id, reason: 'missed', from: gap.from, to: gap.to, gapId: gap.id },
      });
      return 'gap recorded';
    }
    default:
      return `ignored lifecycle event ${job.lifecycleEvent}`;
  }
}

export async function listSubscriptionRows(db: Kysely<Schema>): Promise<Row[]> {
  return db.selectFrom('graph_subscriptions').selectAll().orderBy('room_email').execute();
}
