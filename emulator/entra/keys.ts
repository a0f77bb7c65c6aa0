/**
 * The tenant's signing key. One RSA key per emulator process, published in the JWKS with a kid,
 * as Entra ID publishes its keys (consumers must look keys up by kid, not cache one forever).
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { randomToken } from '../ids';

export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  jwk: Record<string, unknown>;
}

export function createSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomToken();
  const jwk = publicKey.export({ format: 'jwk' }) as Record<string, unknown>;
  return { kid, privateKey, publicKey, jwk: { ...jwk, kid, use: 'sig', kty: 'RSA', alg: 'RS256' } };
}
