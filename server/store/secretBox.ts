import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ensurePrivateDir, writePrivateFile } from './privateFiles';

/**
 * Secrets at rest (the client secret): AES-256-GCM with SECRET_KEY, or with a key generated once
 * into DATA_DIR/secret.key (mode 0600) beside the data. With several instances on one PostgreSQL
 * database, set SECRET_KEY so that all share the key.
 *
 * Stored as `v2:iv:tag:ciphertext` (base64url), the column's name bound as additional
 * authenticated data: a sealed value copied into another column does not open there. The tag
 * must be 16 bytes (authTagLength; otherwise Node accepts a truncated tag, nodejs/node#17523).
 * `v1:` values (before issue 16: no AAD) still open, and `isLegacy` tells the caller to reseal.
 */
const TAG_BYTES = 16;

/** The one sealed column (the integration's client secret), the default AAD. */
export const CLIENT_SECRET_COLUMN = 'integration_settings.client_secret_encrypted';

export class SecretBox {
  private constructor(
    private readonly key: Buffer,
    /** The AAD of everything this box seals and opens: the column the values live in. */
    readonly column: string,
  ) {}

  static fromConfig(
    secretKey: string | undefined,
    dataDir: string,
    column = CLIENT_SECRET_COLUMN,
  ): SecretBox {
    if (secretKey) return new SecretBox(Buffer.from(secretKey, 'hex'), column);
    const file = path.join(dataDir, 'secret.key');
    if (fs.existsSync(file)) {
      const hex = fs.readFileSync(file, 'utf8').trim();
      if (/^[0-9a-f]{64}$/i.test(hex)) return new SecretBox(Buffer.from(hex, 'hex'), column);
    }
    ensurePrivateDir(dataDir);
    const key = randomBytes(32);
    writePrivateFile(file, `${key.toString('hex')}\n`);
    return new SecretBox(key, column);
  }

  /** The same key bound to another column. */
  forColumn(column: string): SecretBox {
    return new SecretBox(this.key, column);
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(this.column, 'utf8'));
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v2', iv, cipher.getAuthTag(), data]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join(':');
  }

  /** Throws when the key is not the one that sealed it, the column differs or the value was altered. */
  open(sealed: string): string {
    const [version, iv, tag, data, extra] = sealed.split(':');
    if ((version !== 'v1' && version !== 'v2') || !iv || !tag || data === undefined || extra !== undefined)
      throw new Error('Unknown secret format');
    const tagBytes = Buffer.from(tag, 'base64url');
    if (tagBytes.length !== TAG_BYTES) throw new Error('Unknown secret format');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'), {
      authTagLength: TAG_BYTES,
    });
    if (version === 'v2') decipher.setAAD(Buffer.from(this.column, 'utf8'));
    decipher.setAuthTag(tagBytes);
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  }

  /** Sealed before issue 16 (no AAD): open once and seal again (resealLegacySecrets). */
  static isLegacy(sealed: string): boolean {
    return sealed.startsWith('v1:');
  }
}
