import { AppError } from '../../errors';
import { resolveTenant, type Credentials } from '../../graph/token';
import type { Logger } from '../../logger';
import type { Journal } from '../../store/journal';
import type { SecretBox } from '../../store/secretBox';
import type { SavedSettings, SettingsStore } from '../../store/settings';
import type { ConnectionReport } from './connectionTest';
import type { SyncReport } from './roomSync';
import { parseSettingsInput, type SettingsInput } from './settingsInput';
import { settingsView, type SettingsView } from './settingsView';

export interface SaveSettingsDeps {
  settings: SettingsStore;
  secrets: Pick<SecretBox, 'seal' | 'open'>;
  /** Entra ID's authority, where the primary domain's tenant is looked up. */
  authorityUrl: string;
  fetch?: typeof fetch;
  testConnection(credentials: Credentials, defaultUserEmail: string | null): Promise<ConnectionReport>;
  /** The gateway of the settings being replaced must not serve again. */
  forgetGraph(): void;
  /** S3: rooms and subscriptions once enabled, every subscription deleted once disabled. */
  startSync(): Promise<SyncReport>;
  stopSync(): Promise<SyncReport>;
  journal: Journal;
  logger: Logger;
  now: () => Date;
}

/**
 * S1–S3: tests the connection (tenant, token, each S2 permission), saves, then starts the
 * synchronisation. A refused token is a 4xx with the reason and nothing is saved; missing
 * permissions are saved and named in the answer (some have a fallback).
 */
export async function saveSettings(
  body: unknown,
  deps: SaveSettingsDeps,
): Promise<SettingsView & { sync: SyncReport }> {
  const input = parseSettingsInput(body);
  const previous = await deps.settings.read();
  const clientSecret = secretToUse(input, previous, deps.secrets);
  const tenant = await resolveTenant(deps.authorityUrl, input.primaryDomain, deps.fetch);
  const connection = await deps.testConnection(
    { tenantId: tenant.tenantId, clientId: input.clientId, clientSecret, metadata: tenant.metadata },
    input.defaultUserEmail ?? null,
  );
  const enabled = input.enabled ?? true;
  await deps.settings.save({
    primaryDomain: input.primaryDomain,
    tenantId: tenant.tenantId,
    authorityMetadata: tenant.metadata,
    clientId: input.clientId,
    clientSecretSealed: deps.secrets.seal(clientSecret),
    defaultStoreId: input.defaultStoreId ?? null,
    defaultUserEmail: input.defaultUserEmail ?? null,
    ignoredTags: input.ignoredTags ?? '',
    enabled,
    connection,
    updatedAt: deps.now(),
    secretExpiresAt: secretExpiry(input, previous),
  });
  deps.forgetGraph();
  await recordSaved(deps, tenant.tenantId, enabled, connection);
  const sync = enabled ? await deps.startSync() : await deps.stopSync();
  return { ...settingsView(await deps.settings.read()), sync };
}

/**
 * The expiry sent; left out, the saved one while the saved secret is kept (a new secret without
 * its expiry makes it unknown: the old date was the old secret's).
 */
function secretExpiry(input: SettingsInput, previous: SavedSettings | null): Date | null {
  if (input.secretExpiresAt !== undefined) {
    return input.secretExpiresAt === null ? null : new Date(input.secretExpiresAt);
  }
  const keptSecret = !input.clientSecret && previous?.clientId === input.clientId;
  return keptSecret ? (previous?.secretExpiresAt ?? null) : null;
}

/** The secret sent, or the saved one when it is left out for the same application. */
export function secretToUse(
  input: SettingsInput,
  previous: SavedSettings | null,
  secrets: Pick<SecretBox, 'open'>,
): string {
  let clientSecret = input.clientSecret;
  if (!clientSecret && previous && previous.clientId === input.clientId) {
    clientSecret = secrets.open(previous.clientSecretSealed);
  }
  if (!clientSecret) {
    throw new AppError('VALIDATION_FAILED', 'The client secret is required.', {
      issues: [{ field: 'clientSecret', message: 'required' }],
    });
  }
  return clientSecret;
}

async function recordSaved(
  deps: Pick<SaveSettingsDeps, 'journal' | 'logger'>,
  tenantId: string,
  enabled: boolean,
  connection: ConnectionReport,
): Promise<void> {
  const missing = connection.missingPermissions.map((m) => m.permission);
  deps.logger.info({ event: 'integration.saved', tenantId, enabled, missing }, 'integration settings saved');
  await deps.journal.record({
    kind: 'subscription',
    message: `Integration settings saved (${enabled ? 'enabled' : 'disabled'}); ${connection.message}`,
    details: { tenantId, missingPermissions: missing },
  });
}
