import { randomBytes, timingSafeEqual, createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ADMIN_TOKEN_MIN_LENGTH } from '../config';
import { ensurePrivateDir, writePrivateFile } from './privateFiles';

/**
 * The admin API token: ADMIN_TOKEN when set, else a token generated once into DATA_DIR
 * (file mode 0600) and reused at every start. `generated` tells the caller to print it once.
 */
export function resolveAdminToken(
  configured: string | undefined,
  dataDir: string,
): { token: string; generated: boolean; file?: string } {
  if (configured) return { token: configured, generated: false };
  const file = path.join(dataDir, 'admin-token');
  if (fs.existsSync(file)) {
    const token = fs.readFileSync(file, 'utf8').trim();
    if (token.length >= ADMIN_TOKEN_MIN_LENGTH) return { token, generated: false, file };
  }
  ensurePrivateDir(dataDir);
  // 32 random bytes: 43 base64url characters.
  const token = randomBytes(32).toString('base64url');
  writePrivateFile(file, `${token}\n`);
  return { token, generated: true, file };
}

/** Constant-time comparison of two secrets of any length (hashing first equalises lengths). */
export function secretsEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}
