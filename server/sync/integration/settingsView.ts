import type { SavedSettings } from '../../store/settings';
import type { ConnectionReport, SettingsView } from '../../../contract/admin';

/** S1 as the API returns it (contract/admin.ts): the secret never leaves, only whether one is saved. */
export type { SettingsView };

const NOT_CONFIGURED: SettingsView = {
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
  secretExpiresAt: null,
};

export function settingsView(saved: SavedSettings | null): SettingsView {
  if (!saved) return { ...NOT_CONFIGURED };
  return {
    configured: true,
    primaryDomain: saved.primaryDomain,
    tenantId: saved.tenantId,
    clientId: saved.clientId,
    clientSecretSet: Boolean(saved.clientSecretSealed),
    defaultStoreId: saved.defaultStoreId,
    defaultUserEmail: saved.defaultUserEmail,
    ignoredTags: saved.ignoredTags,
    enabled: saved.enabled,
    connection: (saved.connection as ConnectionReport | null) ?? null,
    updatedAt: saved.updatedAt.toISOString(),
    secretExpiresAt: saved.secretExpiresAt?.toISOString() ?? null,
  };
}
