import { ConfidentialClientApplication } from '@azure/msal-node';
import { createHash } from 'node:crypto';
import { msOf, type Clock } from '../clock';
import { EntraError } from './errors';
import { msalConfiguration, type Credentials } from './token';

/** The one delegated permission the add-in needs: reading the signed-in user's own events. */
export const OBO_SCOPES = ['https://graph.microsoft.com/Calendars.Read'];

export interface OnBehalfOf {
  /** A delegated Graph token for the user whose token (for our API) is `assertion`. */
  graphToken(assertion: string): Promise<string>;
}

export interface OnBehalfOfOptions {
  wallClock: Clock;
  /** Delegated tokens kept (one per user token seen); the oldest goes first. */
  maxEntries?: number;
}

/** A token is reused until this long before it expires. */
const RENEW_BEFORE_MS = 5 * 60_000;

/** AADSTS codes of the OBO grant, in words for the log (entra-docs v2-oauth2-on-behalf-of-flow.md). */
function explain(error: unknown): EntraError {
  const e = error as { errorCode?: string; errorMessage?: string; message?: string };
  const text = `${e?.errorCode ?? ''} ${e?.errorMessage ?? e?.message ?? ''}`;
  if (/65001/.test(text))
    return new EntraError(
      'TOKEN_REFUSED',
      'No admin consent for the delegated Graph permission Calendars.Read on the add-in API app.',
    );
  if (/500131/.test(text))
    return new EntraError(
      'TOKEN_REFUSED',
      "The user's token is for another application than the one doing on-behalf-of.",
    );
  if (/500133/.test(text)) return new EntraError('TOKEN_REFUSED', "The user's token has expired.");
  if (/7000215|7000222|invalid_client/.test(text))
    return new EntraError('INVALID_CLIENT_SECRET', 'Entra ID refused the add-in API app’s client secret.');
  if (/network|fetch failed|ECONNREFUSED|ENOTFOUND|timed out/i.test(text))
    return new EntraError(
      'AUTHORITY_UNREACHABLE',
      'Entra ID could not be reached for an on-behalf-of token.',
    );
  return new EntraError('TOKEN_REFUSED', 'Entra ID did not issue an on-behalf-of token.');
}

/**
 * On-behalf-of tokens (msal-node acquireTokenOnBehalfOf, delegated Calendars.Read): the add-in
 * reads the caller's own event with the caller's rights, which no application access policy
 * restricts. msal keeps every OBO answer in its cache forever (one per user token), so each call
 * gets a fresh msal instance and the tokens live here instead, bounded and keyed by a hash of
 * the user's token (never the token itself).
 */
export function createOnBehalfOf(credentials: Credentials, options: OnBehalfOfOptions): OnBehalfOf {
  const maxEntries = options.maxEntries ?? 1000;
  const kept = new Map<string, { token: string; renewAtMs: number }>();
  return {
    async graphToken(assertion) {
      const key = createHash('sha256').update(assertion).digest('base64url');
      const now = msOf(options.wallClock);
      const hit = kept.get(key);
      if (hit && hit.renewAtMs > now) return hit.token;
      kept.delete(key);
      let result;
      try {
        const msal = new ConfidentialClientApplication(msalConfiguration(credentials));
        result = await msal.acquireTokenOnBehalfOf({ oboAssertion: assertion, scopes: OBO_SCOPES });
      } catch (error) {
        throw explain(error);
      }
      if (!result?.accessToken) throw new EntraError('TOKEN_REFUSED', 'Entra ID returned no access token.');
      const expiresMs = result.expiresOn ? result.expiresOn.getTime() : now + 10 * 60_000;
      for (const [k, v] of kept) if (v.renewAtMs <= now) kept.delete(k);
      while (kept.size >= maxEntries) kept.delete(kept.keys().next().value!);
      kept.set(key, { token: result.accessToken, renewAtMs: expiresMs - RENEW_BEFORE_MS });
      return result.accessToken;
    },
  };
}
