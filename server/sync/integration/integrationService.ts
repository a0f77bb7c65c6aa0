import type { CertificateKeeper } from '../richNotifications/certificates';
import type { Kysely } from 'kysely';
import { systemClock, type Clock } from '../../clock';
import type { Config } from '../../config';
import { integrationNotConfigured } from '../../errors';
import { EntraError } from '../../graph/errors';
import type { GraphGateway } from '../../graph/gateway';
import type { Logger } from '../../logger';
import type { Metrics } from '../../metrics';
import type { Gaps } from '../../store/gaps';
import type { Journal } from '../../store/journal';
import { createMailboxIds } from '../../store/mailboxIds';
import { createRoomRemovalReviews } from '../../store/roomRemovalReviews';
import type { Schema } from '../../store/schema';
import type { SecretBox } from '../../store/secretBox';
import { createSettingsStore, type SettingsStore } from '../../store/settings';
import type { SubscriptionDirectory } from '../../store/subscriptionDirectory';
import type { LifecycleJob } from '../jobs';
import type { RoomPlaces } from '../rooms';
import { testConnection } from './connectionTest';
import { createDelegatedAccess, type DelegatedAccess } from './delegatedAccess';
import { createGraphAccess, type GatewaySettings, type GraphAccess } from './graphAccess';
import type {
  ConnectionTest,
  PendingRoomRemoval,
  Room,
  RoomRemovalDecision,
  Subscription,
} from '../../../contract/admin';
import { listRooms, listSubscriptions } from './integrationState';
import { createRoomSync, type RoomSync, type RoomSyncDeps, type SyncReport } from './roomSync';
import { saveSettings } from './saveSettings';
import { testWithoutSaving } from './testWithoutSaving';
import { settingsView, type SettingsView } from './settingsView';

export type { ConnectionReport } from './connectionTest';
export type { SyncReport } from './roomSync';
export type { SettingsView } from './settingsView';

export interface IntegrationServiceDeps {
  config: Pick<Config, 'authorityUrl' | 'graphBaseUrl' | 'addinClientId' | 'addinClientSecret'>;
  /** Where Graph reaches our webhooks (PUBLIC_URL; known only once listening when its port is 0). */
  publicUrl: () => string;
  db: Kysely<Schema>;
  secrets: SecretBox;
  journal: Journal;
  gaps: Gaps;
  directory: SubscriptionDirectory;
  places?: RoomPlaces;
  logger: Logger;
  metrics?: Metrics;
  now: () => Date;
  /** Real time, for the on-behalf-of tokens' lifetimes. */
  wallClock?: Clock;
  fetch?: typeof fetch;
  /** The mailbox slots every gateway shares; lets tests shorten Graph's throttling waits. */
  throttling?: GatewaySettings['throttling'];
  /** RICH_NOTIFICATIONS=on: subscriptions carry this certificate (issue 18). */
  richCertificates?: CertificateKeeper;
  /** Cluster-wide mutual exclusion of the subscription work (roomSync.ts). */
  clusterLock?: RoomSyncDeps['clusterLock'];
}

/**
 * The integration's use cases in one place for the composition root: settings (S1, S2,
 * saveSettings.ts), synchronisation start (S3), room import (R1–R3) and subscriptions (E1,
 * roomSync.ts), the gateway of the saved settings (graphAccess.ts). Each method hands over to them.
 */
export class IntegrationService {
  private readonly settings: SettingsStore;
  private readonly access: GraphAccess;
  private readonly delegated: DelegatedAccess;
  private readonly rooms: RoomSync;
  private readonly gateway: GatewaySettings;

  constructor(private readonly deps: IntegrationServiceDeps) {
    this.settings = createSettingsStore(deps.db);
    this.gateway = { baseUrl: deps.config.graphBaseUrl, metrics: deps.metrics, throttling: deps.throttling };
    this.access = createGraphAccess({
      settings: this.settings,
      secrets: deps.secrets,
      gateway: this.gateway,
      mailboxIds: (tenantId) => createMailboxIds(deps.db, tenantId),
    });
    this.delegated = createDelegatedAccess({
      settings: this.settings,
      secrets: deps.secrets,
      gateway: this.gateway,
      addin: { clientId: deps.config.addinClientId, clientSecret: deps.config.addinClientSecret },
      wallClock: deps.wallClock ?? systemClock,
    });
    this.rooms = createRoomSync({
      ...(deps.richCertificates ? { rich: deps.richCertificates } : {}),
      settings: this.settings,
      graph: () => this.access.graph(),
      db: deps.db,
      publicUrl: deps.publicUrl,
      journal: deps.journal,
      reviews: createRoomRemovalReviews(deps.db),
      gaps: deps.gaps,
      directory: deps.directory,
      places: deps.places,
      logger: deps.logger,
      now: deps.now,
      clusterLock: deps.clusterLock,
    });
  }

  async getSettings(): Promise<SettingsView> {
    return settingsView(await this.settings.read());
  }

  saveSettings(body: unknown): Promise<SettingsView & { sync: SyncReport }> {
    const { deps } = this;
    return saveSettings(body, {
      settings: this.settings,
      secrets: deps.secrets,
      authorityUrl: deps.config.authorityUrl,
      fetch: deps.fetch,
      testConnection: (credentials, defaultUserEmail) =>
        testConnection(credentials, defaultUserEmail, { gateway: this.gateway, now: deps.now }),
      forgetGraph: () => this.access.forget(),
      startSync: () => this.sync(),
      stopSync: () => this.disable(),
      journal: deps.journal,
      logger: deps.logger,
      now: deps.now,
    });
  }

  /** S2 without saving (issue 15): the saved settings (an empty body) or the ones sent. */
  testConnection(body: unknown): Promise<ConnectionTest> {
    const { deps } = this;
    return testWithoutSaving(body, {
      settings: this.settings,
      secrets: deps.secrets,
      authorityUrl: deps.config.authorityUrl,
      fetch: deps.fetch,
      testConnection: (credentials, defaultUserEmail) =>
        testConnection(credentials, defaultUserEmail, { gateway: this.gateway, now: deps.now }),
    });
  }

  /** The saved settings (the secret stays sealed); null when none are saved. */
  savedSettings(): ReturnType<SettingsStore['read']> {
    return this.settings.read();
  }

  /** The gateway for the saved settings; null when none are saved. Rebuilt after each save. */
  graph(): Promise<GraphGateway | null> {
    return this.access.graph();
  }

  /** A gateway with the add-in user's own rights (on-behalf-of); null when that is not configured. */
  graphAsUser(assertion: string): Promise<GraphGateway | null> {
    return this.delegated.asUser(assertion);
  }

  importRooms(): Promise<SyncReport> {
    return this.rooms.importRooms();
  }

  maintainSubscriptions(): Promise<SyncReport> {
    return this.rooms.maintainSubscriptions();
  }

  sync(): Promise<SyncReport> {
    return this.rooms.sync();
  }

  disable(): Promise<SyncReport> {
    return this.rooms.disable();
  }

  handleLifecycle(job: LifecycleJob): Promise<string> {
    return this.rooms.handleLifecycle(job);
  }

  async requireGraph(): Promise<GraphGateway> {
    const graph = await this.graph();
    if (!graph) throw integrationNotConfigured();
    return graph;
  }

  /** The subscriptions we hold (admin page). */
  listSubscriptions(): Promise<Subscription[]> {
    return listSubscriptions(this.deps.db);
  }

  /** The rooms imported so far (admin page). */
  listRooms(): Promise<Room[]> {
    return listRooms(this.deps.db);
  }

  /** R1 guard: the held-back room removal waiting for the admin (admin page). */
  pendingRoomRemoval(): Promise<PendingRoomRemoval> {
    return this.rooms.pendingRemoval();
  }

  decideRoomRemoval(id: number, decision: 'confirm' | 'dismiss'): Promise<RoomRemovalDecision> {
    return decision === 'confirm' ? this.rooms.confirmRemoval(id) : this.rooms.dismissRemoval(id);
  }
}

export { EntraError };
