/**
 * Control of the service apps' client secrets (what Graph lists as passwordCredentials,
 * emulator/graph/applications.ts): their expiry, as an admin sees it in Entra ID (Certificates &
 * secrets). Back to the seed's on reset.
 */
import { GraphError } from '../errors';
import type { EmulatorState } from '../state';

/** `PUT /_emulator/apps/{clientId} {secretExpiresAt}` for a service app (not the add-in API app). */
export interface AppSecretChange {
  /** The endDateTime of the app's current secret (the one it signs in with): an ISO instant, or null (never). */
  secretExpiresAt: string | null;
}

/** A service app as the control API shows it: never a secret, only its hint (as Graph). */
export interface AppView {
  clientId: string;
  displayName: string;
  permissions: string[];
  passwordCredentials: Array<{ keyId: string; hint: string; endDateTime: string | null }>;
}

export interface AppSecretControl {
  /** The service app with that client id; undefined when there is none. */
  app(clientId: string): AppView | undefined;
  /** Sets when the app's current secret expires. */
  setSecretExpiry(clientId: string, change: AppSecretChange): AppView;
}

export function appSecretControl(state: EmulatorState): AppSecretControl {
  const find = (clientId: string) =>
    [...state.apps.values()].find((a) => a.clientId.toLowerCase() === clientId.toLowerCase());
  const view = (clientId: string): AppView | undefined => {
    const app = find(clientId);
    if (!app) return undefined;
    return {
      clientId: app.clientId,
      displayName: app.displayName,
      permissions: [...app.permissions],
      passwordCredentials: (app.passwordCredentials ?? []).map((c) => ({
        keyId: c.keyId,
        hint: c.secretText.slice(0, 3),
        endDateTime: c.endDateTime,
      })),
    };
  };
  return {
    app: view,
    setSecretExpiry(clientId, change) {
      const app = find(clientId);
      if (!app) throw new GraphError(404, 'NotFound', `No app '${clientId}'.`);
      const at = (change ?? {}).secretExpiresAt as unknown;
      if (at !== null && (typeof at !== 'string' || Number.isNaN(Date.parse(at))))
        throw new GraphError(400, 'ErrorInvalidRequest', 'secretExpiresAt must be an ISO instant or null.');
      const current = app.passwordCredentials?.find((c) => c.secretText === app.clientSecret);
      if (!current)
        throw new GraphError(404, 'NotFound', `App '${clientId}' has no passwordCredential for its secret.`);
      current.endDateTime = at === null ? null : new Date(at).toISOString();
      return view(clientId)!;
    },
  };
}
