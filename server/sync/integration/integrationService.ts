import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { ConnectionReport, SettingsInput, SettingsView, SyncReport } from '../../../contract/admin';
import type { Config } from '../../config';
import { AppError, integrationNotConfigured } from '../../errors';
import { EntraError } from '../../graph/errors';
import { createGraphGateway, type GraphGateway } from '../../graph/gateway';
import {
  createTokenSource,
  resolveTenant,
  tokenRoles,
  type AuthorityMetadata,
  type Credentials,
} from '../../graph/token';
import type { Logger } from '../../logger';
import type { Metrics } from '../../metrics';
import type { Schema } from '../../store/schema';
import type { Gaps } from '../../store/gaps';
import type { Journal } from '../../store/journal';
import { activeRoomEmails, importRooms, type RoomPlaces } from '../rooms';
import type { SubscriptionDirectory } from '../../store/subscriptionDirectory';
import {
  ensureRoomSubscriptions,
  handleLifecycle,
  maintainSubscriptions,
  type SubscriptionDeps,
  type SubscriptionSummary,
} from '../subscriptions';
import type { LifecycleJob } from '../jobs';
import { checkPermissions } from '../../graph/permissions';
import type { SecretBox } from '../../store/secretBox';

/** S1: what an admin sends. The secret may be left out to keep the saved one. */
export const settingsInputSchema = z.object({
  primaryDomain: z
    .string()
    .trim()
    .toLowerCase()
    .regex(
      /^(?=.{3,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{1,62}$/,
      'must be a domain such as contoso.com',
    ),
  clientId: z
    .string()
    .trim()
    .regex(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
      'must be the application (client) id, a GUID',
    ),
  clientSecret: z.string().min(1).max(1024).optional(),
  defaultStoreId: z
    .union([z.string().trim().min(1).max(200), z.number().int()])
    .nullable()
    .optional(),
  defaultUserEmail: z.email('must be an e-mail address').trim().toLowerCase().nullable().optional(),
  ignoredTags: z.string().max(2000).optional(),
  enabled: z.boolean().optional(),
}) satisfies z.ZodType<SettingsInput>;

/** The admin API's shapes (contract/admin.ts). */
export type { ConnectionReport, SettingsInput, SettingsView, SyncReport };

export interface IntegrationServiceDeps {
  config: Pick<Config, 'authorityUrl' | 'graphBaseUrl'>;
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
  fetch?: typeof fetch;
  /** Lets tests shorten Graph's throttling waits. */
  throttling?: Parameters<typeof createGraphGateway>[0]['throttling'];
}

/**
 * The integration's use cases: settings (S1, S2), synchronisation start (S3), room import (R1–R3)
 * and subscriptions (E1). Work that touches Graph runs one at a time in this instance, so a save,
 * the schedule and a lifecycle event never create two subscriptions for one room.
 */
export class IntegrationService {
  private chain: Promise<unknown> = Promise.resolve();
  private cached?: { key: string; graph: GraphGateway };

  constructor(private readonly deps: IntegrationServiceDeps) {}

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.chain.then(work, work);
    this.chain = run.catch(() => undefined);
    return run;
  }

  private async row() {
    return this.deps.db.selectFrom('integration_settings').selectAll().where('id', '=', 1).executeTakeFirst();
  }

  async getSettings(): Promise<SettingsView> {
    const row = await this.row();
    if (!row) {
      return {
        configured: false,
        primaryDomain: null,
        tenantId: null,
        clientId: null,
        clientSecretSet: false,
        defaultStoreId: null,
        defaultUserEmail: null,
        ignoredTags: '',
        enabled: false,
        connection: null,
        updatedAt: null,
      };
    }
    return {
      configured: true,
      primaryDomain: row.primary_domain,
      tenantId: row.tenant_id,
      clientId: row.client_id,
      clientSecretSet: Boolean(row.client_secret_encrypted),
      defaultStoreId: (row.default_store_id as string | number | null) ?? null,
      defaultUserEmail: row.default_user_email,
      ignoredTags: row.ignored_tags,
      enabled: row.enabled,
      connection: (row.connection as ConnectionReport | null) ?? null,
      updatedAt: new Date(row.updated_at).toISOString(),
    };
  }

  /**
   * S1–S3: tests the connection (tenant, token, each S2 permission), saves, then starts the
   * synchronisation. A refused token is a 4xx with the reason and nothing is saved; missing
   * permissions are saved and named in the answer (some have a fallback).
   */
  async saveSettings(body: unknown): Promise<SettingsView & { sync: SyncReport }> {
    const parsed = settingsInputSchema.safeParse(body);
    if (!parsed.success) {
      throw new AppError('VALIDATION_FAILED', 'Some settings are not valid.', {
        issues: parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })),
      });
    }
    const input = parsed.data;
    const previous = await this.row();
    let clientSecret = input.clientSecret;
    if (!clientSecret && previous && previous.client_id === input.clientId) {
      clientSecret = this.deps.secrets.open(previous.client_secret_encrypted);
    }
    if (!clientSecret) {
      throw new AppError('VALIDATION_FAILED', 'The client secret is required.', {
        issues: [{ field: 'clientSecret', message: 'required' }],
      });
    }
    const tenant = await resolveTenant(this.deps.config.authorityUrl, input.primaryDomain, this.deps.fetch);
    const credentials: Credentials = {
      tenantId: tenant.tenantId,
      clientId: input.clientId,
      clientSecret,
      metadata: tenant.metadata,
    };
    const connection = await this.testConnection(credentials, input.defaultUserEmail ?? null);
    const enabled = input.enabled ?? true;
    const values = {
      primary_domain: input.primaryDomain,
      tenant_id: tenant.tenantId,
      authority_metadata: JSON.stringify(tenant.metadata),
      client_id: input.clientId,
      client_secret_encrypted: this.deps.secrets.seal(clientSecret),
      default_store_id:
        input.defaultStoreId === undefined || input.defaultStoreId === null
          ? null
          : JSON.stringify(input.defaultStoreId),
      default_user_email: input.defaultUserEmail ?? null,
      ignored_tags: input.ignoredTags ?? '',
      enabled,
      connection: JSON.stringify(connection),
      updated_at: this.deps.now(),
    };
    await this.deps.db
      .insertInto('integration_settings')
      .values({ id: 1, ...values })
      .onConflict((oc) => oc.column('id').doUpdateSet(values))
      .execute();
    this.cached = undefined;
    this.deps.logger.info(
      {
        event: 'integration.saved',
        tenantId: tenant.tenantId,
        enabled,
        missing: connection.missingPermissions.map((m) => m.permission),
      },
      'integration settings saved',
    );
    await this.deps.journal.record({
      kind: 'subscription',
      message: `Integration settings saved (${enabled ? 'enabled' : 'disabled'}); ${connection.message}`,
      details: {
        tenantId: tenant.tenantId,
        missingPermissions: connection.missingPermissions.map((m) => m.permission),
      },
    });
    const sync = enabled ? await this.sync() : await this.disable();
    return { ...(await this.getSettings()), sync };
  }

  private async testConnection(
    credentials: Credentials,
    defaultUserEmail: string | null,
  ): Promise<ConnectionReport> {
    // A fresh msal client: a cached token would carry the permissions of an earlier consent.
    const token = await createTokenSource(credentials).getToken();
    const graph = createGraphGateway({
      baseUrl: this.deps.config.graphBaseUrl,
      tokens: { getToken: async () => token },
      metrics: this.deps.metrics,
      throttling: this.deps.throttling,
    });
    const report = await checkPermissions(graph, tokenRoles(token), defaultUserEmail);
    if (defaultUserEmail && report.granted.includes('User.Read.All')) {
      const user = await graph.getUser(defaultUserEmail).catch(() => undefined);
      if (user === null) {
        throw new AppError(
          'DEFAULT_USER_NOT_FOUND',
          `The default user ${defaultUserEmail} is not a user of the tenant of ${credentials.tenantId}.`,
        );
      }
    }
    const missing = report.missing.map((m) => m.permission);
    return {
      ok: missing.length === 0,
      testedAt: this.deps.now().toISOString(),
      tenantId: credentials.tenantId,
      grantedPermissions: report.granted,
      missingPermissions: report.missing,
      message:
        missing.length === 0
          ? 'Connected: every required permission is granted.'
          : `Connected, but these application permissions are missing: ${missing.join(', ')}. Grant them (with admin consent) in Entra ID.`,
    };
  }

  /** The gateway for the saved settings; null when none are saved. Rebuilt after each save. */
  async graph(): Promise<GraphGateway | null> {
    const row = await this.row();
    if (!row) return null;
    const key = `${new Date(row.updated_at).toISOString()}|${row.client_id}`;
    if (this.cached?.key === key) return this.cached.graph;
    const graph = createGraphGateway({
      baseUrl: this.deps.config.graphBaseUrl,
      tokens: createTokenSource({
        tenantId: row.tenant_id,
        clientId: row.client_id,
        clientSecret: this.deps.secrets.open(row.client_secret_encrypted),
        metadata: row.authority_metadata as AuthorityMetadata,
      }),
      metrics: this.deps.metrics,
      throttling: this.deps.throttling,
    });
    this.cached = { key, graph };
    return graph;
  }

  private subscriptionDeps(graph: GraphGateway): SubscriptionDeps {
    return {
      db: this.deps.db,
      graph,
      publicUrl: this.deps.publicUrl(),
      now: this.deps.now,
      journal: this.deps.journal,
      gaps: this.deps.gaps,
      directory: this.deps.directory,
      logger: this.deps.logger,
    };
  }

  private async enabledGraph(): Promise<GraphGateway | null> {
    const row = await this.row();
    if (!row?.enabled) return null;
    return this.graph();
  }

  private report(error: unknown): SyncReport['error'] {
    this.deps.logger.warn({ event: 'integration.sync_failed', err: error }, 'synchronisation step failed');
    if (error instanceof AppError) return { code: String(error.code), message: error.message };
    return { code: 'SYNC_FAILED', message: error instanceof Error ? error.message : String(error) };
  }

  /** Flow 1: rooms, then one subscription per active room. */
  importRooms(): Promise<SyncReport> {
    return this.exclusive(async () => {
      const graph = await this.enabledGraph();
      if (!graph) return {};
      const row = (await this.row())!;
      try {
        const rooms = await importRooms(
          {
            db: this.deps.db,
            graph,
            places: this.deps.places,
            journal: this.deps.journal,
            now: this.deps.now,
            logger: this.deps.logger,
          },
          row.ignored_tags,
        );
        const subscriptions = await ensureRoomSubscriptions(this.subscriptionDeps(graph), rooms.active);
        return { rooms, subscriptions };
      } catch (error) {
        return { error: this.report(error) };
      }
    });
  }

  /** Flow 2: renew, recreate what Graph lost, one per active room. */
  maintainSubscriptions(): Promise<SyncReport> {
    return this.exclusive(async () => {
      const graph = await this.enabledGraph();
      if (!graph) return {};
      try {
        return {
          subscriptions: await maintainSubscriptions(
            this.subscriptionDeps(graph),
            await activeRoomEmails(this.deps.db),
          ),
        };
      } catch (error) {
        return { error: this.report(error) };
      }
    });
  }

  /** Import then maintenance: what a save, the admin's "sync now" and tests run. */
  async sync(): Promise<SyncReport> {
    const imported = await this.importRooms();
    if (imported.error) return imported;
    const maintained = await this.maintainSubscriptions();
    return {
      rooms: imported.rooms,
      subscriptions: mergeSummaries(imported.subscriptions, maintained.subscriptions),
      ...(maintained.error ? { error: maintained.error } : {}),
    };
  }

  /** Integration disabled: every subscription is deleted (places stay as they are). */
  disable(): Promise<SyncReport> {
    return this.exclusive(async () => {
      const graph = await this.graph();
      if (!graph) return {};
      try {
        return { subscriptions: await ensureRoomSubscriptions(this.subscriptionDeps(graph), []) };
      } catch (error) {
        return { error: this.report(error) };
      }
    });
  }

  handleLifecycle(job: LifecycleJob): Promise<string> {
    return this.exclusive(async () => {
      const graph = await this.enabledGraph();
      if (!graph) return 'integration disabled';
      const outcome = await handleLifecycle(this.subscriptionDeps(graph), job);
      this.deps.logger.info({ event: 'subscription.lifecycle', ...job, outcome }, 'lifecycle event handled');
      return outcome;
    });
  }

  async requireGraph(): Promise<GraphGateway> {
    const graph = await this.graph();
    if (!graph) throw integrationNotConfigured();
    return graph;
  }
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

export { EntraError };
