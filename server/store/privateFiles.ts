import fs from 'node:fs';
import path from 'node:path';

/**
 * DATA_DIR holds the database, the secret key and the admin token: only the service's own user
 * may read it (issue 16: PGlite created its files world-readable). Directories 0700, files 0600,
 * existing ones tightened too (a DATA_DIR made by an older version or by hand).
 */
export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  fs.chmodSync(dir, PRIVATE_DIR_MODE);
}

/** Writes a new file readable by its owner only (the mode of an existing file is set too). */
export function writePrivateFile(file: string, text: string): void {
  fs.writeFileSync(file, text, { mode: PRIVATE_FILE_MODE });
  fs.chmodSync(file, PRIVATE_FILE_MODE);
}

/**
 * `dir` and everything under it: directories 0700, files 0600. Symbolic links are left alone (their
 * targets may lie outside DATA_DIR). A PGlite directory is ≈ 1,100 entries: a few ms at start-up.
 */
export function tightenTree(dir: string): void {
  if (!fs.existsSync(dir)) return;
  ensurePrivateDir(dir);
  const walk = (current: string): void => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      const full = path.join(current, entry.name);
      if (entry.isDirectory()) {
        fs.chmodSync(full, PRIVATE_DIR_MODE);
        walk(full);
      } else if (entry.isFile()) {
        fs.chmodSync(full, PRIVATE_FILE_MODE);
      }
    }
  };
  walk(dir);
}
