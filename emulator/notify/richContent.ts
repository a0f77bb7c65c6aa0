/**
 * Resource data of a rich notification, encrypted as Graph documents it (GDC
 * concepts/change-notifications-with-resource-data.md, "Decrypting resource data";
 * api-reference/v1.0/resources/changenotificationencryptedcontent.md): a fresh AES-256 key per
 * item; `data` = AES-256-CBC with PKCS7 padding, IV = the key's first 16 bytes; `dataKey` = the
 * key RSA-OAEP-wrapped ("RSA/ECB/OAEPWithSHA1AndMGF1Padding") with the subscription's certificate;
 * `dataSignature` = base64 HMAC-SHA256 of the encrypted `data` bytes with the key;
 * `encryptionCertificateThumbprint` = the certificate's SHA-1 thumbprint in hexadecimal.
 */
import {
  constants,
  createCipheriv,
  createHmac,
  publicEncrypt,
  randomBytes,
  type KeyObject,
} from 'node:crypto';

export interface EncryptedContent {
  data: string;
  dataKey: string;
  dataSignature: string;
  encryptionCertificateId: string;
  encryptionCertificateThumbprint: string;
}

export interface RichCertificate {
  publicKey: KeyObject;
  certificateId: string;
  /** SHA-1 of the DER, upper-case hex without separators (as in Graph's example). */
  thumbprint: string;
}

export function encryptResource(resourceJson: string, cert: RichCertificate): EncryptedContent {
  const key = randomBytes(32);
  const cipher = createCipheriv('aes-256-cbc', key, key.subarray(0, 16));
  const data = Buffer.concat([cipher.update(resourceJson, 'utf8'), cipher.final()]);
  // Node's OAEP default hash is SHA-1 (MGF1 SHA-1), what Microsoft's samples decrypt with.
  const dataKey = publicEncrypt({ key: cert.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING }, key);
  return {
    data: data.toString('base64'),
    dataKey: dataKey.toString('base64'),
    dataSignature: createHmac('sha256', key).update(data).digest('base64'),
    encryptionCertificateId: cert.certificateId,
    encryptionCertificateThumbprint: cert.thumbprint,
  };
}
