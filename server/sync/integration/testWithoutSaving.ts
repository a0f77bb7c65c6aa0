import type { ConnectionTest } from '../../../contract/admin';
import { integrationNotConfigured } from '../../errors';
import { REQUIRED_PERMISSIONS } from '../../graph/permissions';
import { resolveTenant, type AuthorityMetadata, type Credentials } from '../../graph/token';
import type { SecretBox } from '../../store/secretBox';
import type { SettingsStore } from '../../store/settings';
import type { ConnectionReport } from './connectionTest';
import { secretToUse } from './saveSettings';
import { parseSettingsInput } from './settingsInput';

export interface TestWithoutSavingDeps {
  settings: Pick<SettingsStore, 'read'>;
  secrets: Pick<SecretBox, 'open'>;
  authorityUrl: string;
  fetch?: typeof fetch;
  testConnection(credentials: Credentials, defaultUserEmail: string | null): Promise<ConnectionReport>;
}

/**
 * S2 on demand (issue 15): the same test a save runs — token, each permission by name, the access
 * policy's reach of the default user — on the saved settings (an empty body) or on the settings an
 * admin is about to save, and nothing is written. A refused token throws (Entra ID's reason, 4xx).
 */
export async function testWithoutSaving(body: unknown, deps: TestWithoutSavingDeps): Promise<ConnectionTest> {
  const saved = await deps.settings.read();
  const empty = body === undefined || (isObject(body) && Object.keys(body).length === 0);
  let credentials: Credentials;
  let defaultUser: string | null;
  if (empty) {
    if (!saved) throw integrationNotConfigured();
    credentials = {
      tenantId: saved.tenantId,
      clientId: saved.clientId,
      clientSecret: deps.secrets.open(saved.clientSecretSealed),
      metadata: saved.authorityMetadata as AuthorityMetadata,
    };
    defaultUser = saved.defaultUserEmail;
  } else {
    const input = parseSettingsInput(body);
    const clientSecret = secretToUse(input, saved, deps.secrets);
    const tenant = await resolveTenant(deps.authorityUrl, input.primaryDomain, deps.fetch);
    credentials = {
      tenantId: tenant.tenantId,
      clientId: input.clientId,
      clientSecret,
      metadata: tenant.metadata,
    };
    defaultUser = input.defaultUserEmail ?? null;
  }
  return connectionTestOf(await deps.testConnection(credentials, defaultUser), defaultUser);
}

/** The report, with each S2 permission named (granted or not) and the default user's reach. */
export function connectionTestOf(report: ConnectionReport, defaultUserEmail: string | null): ConnectionTest {
  const missing = new Map(report.missingPermissions.map((m) => [m.permission, m.breaks]));
  const email = defaultUserEmail?.toLowerCase() ?? null;
  return {
    ...report,
    permissions: Object.keys(REQUIRED_PERMISSIONS).map((permission) => ({
      permission,
      granted: !missing.has(permission),
      breaks: missing.get(permission) ?? null,
    })),
    defaultUser: email ? { email, reachable: !(report.outsideAccessPolicy ?? []).includes(email) } : null,
    token: { acquired: true },
    saved: false,
  };
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
