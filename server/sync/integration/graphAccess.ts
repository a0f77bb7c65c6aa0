import { createGraphGateway, type GatewayOptions, type GraphGateway } from '../../graph/gateway';
import type { MailboxIdStore } from '../../graph/mailboxIds';
import { createTokenSource, type AuthorityMetadata } from '../../graph/token';
import type { SecretBox } from '../../store/secretBox';
import type { SettingsStore } from '../../store/settings';

/** How this service builds its gateways (Graph's base URL, metrics, throttling waits): all but the tokens. */
export type GatewaySettings = Omit<GatewayOptions, 'tokens' | 'mailboxIds'>;

export interface GraphAccessDeps {
  settings: Pick<SettingsStore, 'read'>;
  secrets: Pick<SecretBox, 'open'>;
  gateway: GatewaySettings;
  /** Where the tenant's resolved mailbox ids are kept (store/mailboxIds.ts). */
  mailboxIds?: (tenantId: string) => MailboxIdStore;
}

/** The integration's gateway: built for the saved settings, kept until they change. */
export interface GraphAccess {
  /** The gateway for the saved settings; null when none are saved. */
  graph(): Promise<GraphGateway | null>;
  /** Drops the kept gateway (settings were just saved): the next call builds one again. */
  forget(): void;
}

export function createGraphAccess(deps: GraphAccessDeps): GraphAccess {
  let cached: { key: string; graph: GraphGateway } | undefined;
  return {
    async graph() {
      const saved = await deps.settings.read();
      if (!saved) return null;
      // A save moves updatedAt: its gateway (and msal's token cache) is then built anew.
      const key = `${saved.updatedAt.toISOString()}|${saved.clientId}`;
      if (cached?.key === key) return cached.graph;
      const graph = createGraphGateway({
        ...deps.gateway,
        mailboxIds: deps.mailboxIds?.(saved.tenantId),
        tokens: createTokenSource({
          tenantId: saved.tenantId,
          clientId: saved.clientId,
          clientSecret: deps.secrets.open(saved.clientSecretSealed),
          metadata: saved.authorityMetadata as AuthorityMetadata,
        }),
      });
      cached = { key, graph };
      return graph;
    },
    forget() {
      cached = undefined;
    },
  };
}
