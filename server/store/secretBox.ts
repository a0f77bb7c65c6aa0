import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Secrets at rest (the client secret): AES-256-GCM with SECRET_KEY, or with a key generated once
 * into DATA_DIR/secret.key (mode 0600) beside the data. Stored as `v1:iv:tag:ciphertext` (base64url).
 * With several instances on one PostgreSQL database, set SECRET_KEY so that all share the key.
 */
export class SecretBox {
  private constructor(private readonly key: Buffer) {}

  static fromConfig(secretKey: string | undefined, dataDir: string): SecretBox {
    if (secretKey) return new SecretBox(Buffer.from(secretKey, 'hex'));
    const file = path.join(dataDir, 'secret.key');
    if (fs.existsSync(file)) {
      const hex = fs.readFileSync(file, 'utf8').trim();
      if (/^[0-9a-f]{64}$/i.test(hex)) return new SecretBox(Buffer.from(hex, 'hex'));
    }
    fs.mkdirSync(dataDir, { recursive: true });
    const key = randomBytes(32);
    fs.writeFileSync(file, `${key.toString('hex')}\n`, { mode: 0o600 });
    return new SecretBox(key);
  }

  seal(plain: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return ['v1', iv, cipher.getAuthTag(), data]
      .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
      .join(':');
  }

  /** Throws when the key is not the one that sealed it (or the value was altered). */
  open(sealed: string): string {
    const [version, iv, tag, data] = sealed.split(':');
    if (version !== 'v1' || !iv || !tag || data === undefined) throw new Error('Unknown secret format');
    const decipher = createDecipheriv('aes-256-gcm', this.key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString(
      'utf8',
    );
  }
}
