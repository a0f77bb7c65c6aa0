/**
 * Decrypting a rich notification's `encryptedContent`, step by step as GDC
 * concepts/change-notifications-with-resource-data.md "Decrypting resource data" says: unwrap
 * `dataKey` with our private key (RSA OAEP; Node's default OAEP hash is SHA-1, what Graph uses,
 * "RSA/ECB/OAEPWithSHA1AndMGF1Padding" in resources/changenotificationencryptedcontent.md); check
 * `dataSignature` = HMAC-SHA256 of the encrypted bytes with that key BEFORE decrypting ("If they
 * don't match, assume the payload has been tampered with and don't decrypt it"); AES-256-CBC,
 * PKCS7, IV = the key's first 16 bytes. Pure: no I/O.
 */
import {
  constants,
  createDecipheriv,
  createHmac,
  privateDecrypt,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto';

export interface EncryptedContent {
  data: string;
  dataKey: string;
  dataSignature: string;
  encryptionCertificateId: string;
  encryptionCertificateThumbprint?: string;
}

export type Decrypted = { ok: true; resource: Record<string, unknown> } | { ok: false; reason: string };

export function decryptContent(content: EncryptedContent, privateKey: KeyObject): Decrypted {
  let key: Buffer;
  try {
    key = privateDecrypt(
      { key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING },
      Buffer.from(content.dataKey, 'base64'),
    );
  } catch {
    return { ok: false, reason: 'the data key does not open with our private key' };
  }
  if (key.length !== 32) return { ok: false, reason: 'the data key is not an AES-256 key' };
  const data = Buffer.from(content.data, 'base64');
  const expected = createHmac('sha256', key).update(data).digest();
  const given = Buffer.from(content.dataSignature, 'base64');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'the data signature does not match' };
  try {
    const decipher = createDecipheriv('aes-256-cbc', key, key.subarray(0, 16));
    const json = Buffer.concat([decipher.update(data), decipher.final()]).toString('utf8');
    const resource: unknown = JSON.parse(json);
    if (!resource || typeof resource !== 'object' || Array.isArray(resource))
      return { ok: false, reason: 'the decrypted data is not a resource' };
    return { ok: true, resource: resource as Record<string, unknown> };
  } catch {
    return { ok: false, reason: 'the data does not decrypt' };
  }
}
