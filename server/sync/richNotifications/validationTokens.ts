/**
 * The `validationTokens` of a rich notification POST, checked before any of its content is
 * trusted (GDC concepts/change-notifications-with-resource-data.md, "How to validate"): every
 * token must be unexpired, signed by the tenant's keys (its JWKS), issued by the tenant's
 * `https://sts.windows.net/{tenant}/`, for our app id (`aud`), and by Graph's change notification
 * publisher (`appid` 0bf30f3b-4a52-48df-9a82-234910c4a086). "If any tokens fail, consider the
 * change notification suspicious."
 */
import { tenantSigningKeys } from '../../graph/tenantSigningKeys';
import { jwtVerify, errors as joseErrors } from 'jose';

export const NOTIFICATION_PUBLISHER_APP_ID = '0bf30f3b-4a52-48df-9a82-234910c4a086';

export type TokenCheck = { ok: true } | { ok: false; reason: string; transient?: boolean };

export type ValidationTokenCheck = (
  tokens: readonly string[] | undefined,
  expected: { tenantId: string; clientId: string },
) => Promise<TokenCheck>;

export function createValidationTokenCheck(options: { authorityUrl: string }): ValidationTokenCheck {
  const keysOf = tenantSigningKeys(options.authorityUrl);
  return async (tokens, expected) => {
    if (!tokens?.length) return { ok: false, reason: 'the notification carries no validation token' };
    for (const token of tokens) {
      try {
        const { payload } = await jwtVerify(token, keysOf(expected.tenantId), {
          algorithms: ['RS256'],
          issuer: `https://sts.windows.net/${expected.tenantId}/`,
          audience: expected.clientId,
          // Real time, as Entra ID stamps its tokens (never the business clock tests move).
          requiredClaims: ['exp'],
        });
        if (payload.appid !== NOTIFICATION_PUBLISHER_APP_ID)
          return { ok: false, reason: 'a validation token was not issued by Graph change notifications' };
      } catch (error) {
        if (error instanceof joseErrors.JWKSTimeout || !(error instanceof joseErrors.JOSEError))
          return { ok: false, reason: "the tenant's signing keys could not be read", transient: true };
        return { ok: false, reason: `a validation token is invalid (${describe(error)})` };
      }
    }
    return { ok: true };
  };
}

function describe(error: InstanceType<typeof joseErrors.JOSEError>): string {
  if (error instanceof joseErrors.JWTExpired) return 'expired';
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `${error.claim} does not match`;
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'bad signature';
  if (error instanceof joseErrors.JWKSNoMatchingKey) return 'unknown signing key';
  return error.code;
}
