import type { AuthHost } from './host';

/**
 * A token for our API, for the signed-in Outlook user. In order of preference:
 * 1. the host shim's token function (the browser-test harness plays Outlook);
 * 2. nested app authentication (@azure/msal-browser) where Outlook supports NestedAppAuth 1.1:
 *    silent first, then a popup;
 * 3. the legacy Office SSO token (Office.auth.getAccessToken, WebApplicationInfo in the manifest).
 * msal-browser is loaded on demand so the task pane's first paint does not pay for it.
 */

export interface AuthSettings {
  /** Our API's Entra ID application (client) id. */
  clientId: string;
  /** e.g. ["api://hector.example.org/<clientId>/access_as_user"]. */
  scopes: string[];
  /** Defaults to the multi-tenant "organizations" authority. */
  authority?: string;
}

export interface TokenRequest {
  /** The user clicked "sign in": prompts are expected. */
  interactive?: boolean;
  /** The API refused the last token (401): do not take it from a cache. */
  forceRefresh?: boolean;
}

export interface TokenSource {
  getToken(request?: TokenRequest): Promise<string>;
}

/** No token could be had without the user: the pane shows its sign-in state. */
export class SignInRequiredError extends Error {
  readonly code = 'SIGN_IN_REQUIRED';
  constructor(cause?: unknown) {
    super('The user must sign in', { cause });
    this.name = 'SignInRequiredError';
  }
}

/** The slice of msal-browser this file uses (so tests can fake it). */
export interface NestableClient {
  acquireTokenSilent(request: { scopes: string[]; forceRefresh?: boolean }): Promise<{ accessToken: string }>;
  acquireTokenPopup(request: { scopes: string[] }): Promise<{ accessToken: string }>;
}

export type LoadNestableClient = (settings: AuthSettings) => Promise<NestableClient>;

const loadMsal: LoadNestableClient = async (settings) => {
  const msal = await import(/* webpackChunkName: "msal" */ '@azure/msal-browser');
  const pca = await msal.createNestablePublicClientApplication({
    auth: {
      clientId: settings.clientId,
      authority: settings.authority ?? 'https://login.microsoftonline.com/organizations',
    },
  });
  return pca as unknown as NestableClient;
};

export function createTokenSource(
  host: AuthHost,
  settings: AuthSettings,
  loadClient: LoadNestableClient = loadMsal,
): TokenSource {
  let client: Promise<NestableClient> | undefined;

  async function viaNestedAppAuth(request: TokenRequest): Promise<string> {
    client ??= loadClient(settings);
    const pca = await client;
    try {
      const silent = await pca.acquireTokenSilent({
        scopes: settings.scopes,
        forceRefresh: request.forceRefresh,
      });
      return silent.accessToken;
    } catch (silentError) {
      try {
        return (await pca.acquireTokenPopup({ scopes: settings.scopes })).accessToken;
      } catch (popupError) {
        throw new SignInRequiredError(popupError ?? silentError);
      }
    }
  }

  async function viaOfficeSso(request: TokenRequest): Promise<string> {
    try {
      return await host.officeSsoToken({ allowSignInPrompt: true, forceRefresh: request.forceRefresh });
    } catch (error) {
      throw new SignInRequiredError(error);
    }
  }

  return {
    async getToken(request = {}) {
      if (host.hostToken) {
        try {
          return await host.hostToken();
        } catch (error) {
          throw new SignInRequiredError(error);
        }
      }
      if (host.nestedAppAuthSupported()) return viaNestedAppAuth(request);
      return viaOfficeSso(request);
    },
  };
}

/**
 * Our API's scope: under the Application ID URI the admin chose (ADDIN_APP_ID_URI, given by the
 * server in a meta tag), else Entra ID's "api://host/clientId" form for a deployment at `publicUrl`.
 */
export function apiScopes(publicUrl: string, clientId: string, appIdUri?: string): string[] {
  const resource = appIdUri?.replace(/\/+$/, '') || `api://${new URL(publicUrl).host}/${clientId}`;
  return [`${resource}/access_as_user`];
}
