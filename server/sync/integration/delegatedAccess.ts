import type { Clock } from '../../clock';
import { createGraphGateway, type GraphGateway } from '../../graph/gateway';
import { createOnBehalfOf, type OnBehalfOf } from '../../graph/onBehalfOf';
import type { AuthorityMetadata } from '../../graph/token';
import type { SecretBox } from '../../store/secretBox';
import type { SettingsStore } from '../../store/settings';
import type { GatewaySettings } from './graphAccess';

export interface DelegatedAccessDeps {
  settings: Pick<SettingsStore, 'read'>;
  secrets: Pick<SecretBox, 'open'>;
  gateway: GatewaySettings;
  /** The add-in API app (ADDIN_CLIENT_ID, ADDIN_CLIENT_SECRET). */
  addin: { clientId?: string; clientSecret?: string };
  wallClock: Clock;
}

/** Gateways that act as the signed-in user of the add-in (on-behalf-of), not as the app. */
export interface DelegatedAccess {
  /**
   * A gateway with the rights of the user whose token for our API is `assertion`; null when
   * on-behalf-of is not configured (then the add-in reads with the app's own rights). Throws the
   * EntraError of a refused on-behalf-of token.
   */
  asUser(assertion: string): Promise<GraphGateway | null>;
}

/**
 * Who does on-behalf-of: the add-in API app itself, with ADDIN_CLIENT_SECRET; or, when the add-in
 * API is the Hector app (ADDIN_CLIENT_ID = the saved client id), the saved secret — one
 * registration, nothing more to store. Otherwise it is off.
 */
export function createDelegatedAccess(deps: DelegatedAccessDeps): DelegatedAccess {
  let cached: { key: string; obo: OnBehalfOf } | undefined;
  return {
    async asUser(assertion) {
      const { clientId, clientSecret } = deps.addin;
      const saved = await deps.settings.read();
      if (!saved || !clientId) return null;
      const sameApp = saved.clientId.toLowerCase() === clientId.toLowerCase();
      if (!clientSecret && !sameApp) return null;
      const key = `${saved.updatedAt.toISOString()}|${clientId}`;
      if (cached?.key !== key) {
        const secret = clientSecret ?? deps.secrets.open(saved.clientSecretSealed);
        const obo = createOnBehalfOf(
          {
            tenantId: saved.tenantId,
            clientId,
            clientSecret: secret,
            metadata: saved.authorityMetadata as AuthorityMetadata,
          },
          { wallClock: deps.wallClock },
        );
        cached = { key, obo };
      }
      // Asked before the gateway exists: graph-client would hide an EntraError behind its own error.
      const token = await cached.obo.graphToken(assertion);
      return createGraphGateway({ ...deps.gateway, tokens: { getToken: async () => token } });
    },
  };
}
