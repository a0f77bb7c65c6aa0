import type { PendingRoomRemoval, RoomRemovalDecision, SyncReport } from '../../../contract/admin';
import type { Kysely } from 'kysely';
import { AppError } from '../../errors';
import type { GraphGateway } from '../../graph/gateway';
import type { Logger } from '../../logger';
import type { Gaps } from '../../store/gaps';
import type { Journal } from '../../store/journal';
import type { RoomRemovalReviews } from '../../store/roomRemovalReviews';
import type { Schema } from '../../store/schema';
import type { SettingsStore } from '../../store/settings';
import type { SubscriptionDirectory } from '../../store/subscriptionDirectory';
import type { LifecycleJob } from '../jobs';
import { createKeyedChain } from '../keyedChain';
import type { MeetingLock } from '../meetingLock';
import { presentReview } from '../roomRemovalGuard';
import { activeRoomEmails, deactivateRooms, importRooms, type RoomPlaces } from '../rooms';
import type { CertificateKeeper } from '../richNotifications/certificates';
import {
  ensureRoomSubscriptions,
  handleLifecycle,
  maintainSubscriptions,
  type SubscriptionDeps,
  type SubscriptionSummary,
} from '../subscriptions';

/** What a synchronisation step did, for the admin (contract/admin.ts; a failed step is named, not thrown). */
export type { SyncReport };

export interface RoomSyncDeps {
  settings: Pick<SettingsStore, 'read'>;
  /** The gateway for the saved settings (null when none are saved). */
  graph(): Promise<GraphGateway | null>;
  db: Kysely<Schema>;
  /** Where Graph reaches our webhooks (PUBLIC_URL; known only once listening when its port is 0). */
  publicUrl: () => string;
  journal: Journal;
  reviews: RoomRemovalReviews;
  gaps: Gaps;
  directory: SubscriptionDirectory;
  places?: RoomPlaces;
  logger: Logger;
  now: () => Date;
  /** RICH_NOTIFICATIONS=on: the certificate subscriptions carry (issue 18). */
  rich?: CertificateKeeper;
  /**
   * Held around every step (sync/meetingLock.ts: an advisory lock on PostgreSQL, so instances
   * take turns; the chain alone on PGlite). Without it, one per process only.
   */
  clusterLock?: MeetingLock;
}

/** Rooms (R1–R3) and their subscriptions (E1): the integration's work that touches Graph. */
export interface RoomSync {
  /** Flow 1: rooms, then one subscription per active room. */
  importRooms(): Promise<SyncReport>;
  /** Flow 2: renew, recreate what Graph lost, one per active room. */
  maintainSubscriptions(): Promise<SyncReport>;
  /** Import then maintenance: what a save, the admin's "sync now" and tests run. */
  sync(): Promise<SyncReport>;
  /** Integration disabled: every subscription is deleted (places stay as they are). */
  disable(): Promise<SyncReport>;
  handleLifecycle(job: LifecycleJob): Promise<string>;
  /** R1 guard: the held-back removal waiting for the admin. */
  pendingRemoval(): Promise<PendingRoomRemoval>;
  /** The admin confirms it: the rooms are deactivated and their subscriptions removed. */
  confirmRemoval(id: number): Promise<RoomRemovalDecision>;
  /** The admin dismisses it: the rooms stay synchronised. */
  dismissRemoval(id: number): Promise<RoomRemovalDecision>;
}

/**
 * Each step runs one at a time in the cluster (issue 16), so a save, the schedule and a lifecycle
 * event — on any instance — never create two subscriptions for one room: every step reads the
 * subscription rows inside the lock, after the previous holder wrote its own.
 */
export function createRoomSync(deps: RoomSyncDeps): RoomSync {
  const lock = deps.clusterLock ?? createKeyedChain();
  const exclusive = <T>(work: () => Promise<T>): Promise<T> => lock.run('integration', work);

  const subscriptionDeps = (graph: GraphGateway): SubscriptionDeps => ({
    db: deps.db,
    graph,
    publicUrl: deps.publicUrl(),
    now: deps.now,
    journal: deps.journal,
    gaps: deps.gaps,
    directory: deps.directory,
    logger: deps.logger,
    ...(deps.rich ? { rich: deps.rich } : {}),
  });

  const enabledGraph = async (): Promise<GraphGateway | null> => {
    const saved = await deps.settings.read();
    return saved?.enabled ? deps.graph() : null;
  };

  const failure = (error: unknown): SyncReport['error'] => {
    deps.logger.warn({ event: 'integration.sync_failed', err: error }, 'synchronisation step failed');
    if (error instanceof AppError) return { code: String(error.code), message: error.message };
    return { code: 'SYNC_FAILED', message: error instanceof Error ? error.message : String(error) };
  };

  const roomSync: RoomSync = {
    importRooms: () =>
      exclusive(async () => {
        const graph = await enabledGraph();
        if (!graph) return {};
        const saved = (await deps.settings.read())!;
        try {
          const rooms = await importRooms(
            {
              db: deps.db,
              graph,
              places: deps.places,
              journal: deps.journal,
              reviews: deps.reviews,
              now: deps.now,
              logger: deps.logger,
            },
            saved.ignoredTags,
          );
          const subscriptions = await ensureRoomSubscriptions(subscriptionDeps(graph), rooms.active);
          return { rooms, subscriptions };
        } catch (error) {
          return { error: failure(error) };
        }
      }),

    maintainSubscriptions: () =>
      exclusive(async () => {
        const graph = await enabledGraph();
        if (!graph) return {};
        try {
          return {
            subscriptions: await maintainSubscriptions(
              subscriptionDeps(graph),
              await activeRoomEmails(deps.db),
            ),
          };
        } catch (error) {
          return { error: failure(error) };
        }
      }),

    async sync() {
      const imported = await roomSync.importRooms();
      if (imported.error) return imported;
      const maintained = await roomSync.maintainSubscriptions();
      return {
        rooms: imported.rooms,
        subscriptions: mergeSummaries(imported.subscriptions, maintained.subscriptions),
        ...(maintained.error ? { error: maintained.error } : {}),
      };
    },

    disable: () =>
      exclusive(async () => {
        const graph = await deps.graph();
        if (!graph) return {};
        try {
          return { subscriptions: await ensureRoomSubscriptions(subscriptionDeps(graph), []) };
        } catch (error) {
          return { error: failure(error) };
        }
      }),

    handleLifecycle: (job) =>
      exclusive(async () => {
        const graph = await enabledGraph();
        if (!graph) return 'integration disabled';
        const outcome = await handleLifecycle(subscriptionDeps(graph), job);
        deps.logger.info({ event: 'subscription.lifecycle', ...job, outcome }, 'lifecycle event handled');
        return outcome;
      }),

    async pendingRemoval() {
      const review = await deps.reviews.pending();
      return { review: review ? presentReview(review) : null };
    },

    confirmRemoval: (id) =>
      exclusive(async () => {
        const review = presentReview(await deps.reviews.decide(id, 'confirmed', deps.now()));
        const deactivated = await deactivateRooms(deps, review.rooms);
        await deps.journal.record({
          kind: 'rooms',
          message: `Room removal confirmed by the admin: ${deactivated.length} room${deactivated.length === 1 ? '' : 's'} deactivated (their loans are kept).`,
          details: { reviewId: id, deactivated },
        });
        const graph = await enabledGraph();
        // Their subscriptions go with them; a failure here is retried by the next maintenance.
        if (graph)
          await ensureRoomSubscriptions(subscriptionDeps(graph), await activeRoomEmails(deps.db)).catch(
            (error: unknown) => failure(error),
          );
        return { review, deactivated };
      }),

    dismissRemoval: (id) =>
      exclusive(async () => {
        const review = presentReview(await deps.reviews.decide(id, 'dismissed', deps.now()));
        await deps.journal.record({
          kind: 'rooms',
          message: `Room removal dismissed by the admin: the ${review.rooms.length} missing room${review.rooms.length === 1 ? '' : 's'} stay synchronised.`,
          details: { reviewId: id, kept: review.rooms },
        });
        return { review, deactivated: [] };
      }),
  };
  return roomSync;
}

function mergeSummaries(a?: SubscriptionSummary, b?: SubscriptionSummary): SubscriptionSummary | undefined {
  if (!a) return b;
  if (!b) return a;
  return {
    created: [...a.created, ...b.created],
    renewed: [...a.renewed, ...b.renewed],
    recreated: [...a.recreated, ...b.recreated],
    removed: [...a.removed, ...b.removed],
    failed: [...a.failed, ...b.failed],
  };
}
