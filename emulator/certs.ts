/**
 * Development certificates for https: a private CA and a localhost certificate, generated once with
 * office-addin-dev-certs' `generateCertificates` into a directory and reused while valid. The
 * service and the demo reuse them (trust `ca` explicitly; never disable verification).
 */
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { generateCertificates } from 'office-addin-dev-certs/lib/generate';

export interface DevCertificates {
  ca: string;
  cert: string;
  key: string;
}

const FILES = { ca: 'ca.crt', cert: 'localhost.crt', key: 'localhost.key' };
const VALIDITY_DAYS = 365;
/** Regenerate a little before expiry so a long run does not cross it. */
const MARGIN_MS = 2 * 86_400_000;

function readIfValid(dir: string): DevCertificates | null {
  try {
    const out = {
      ca: fs.readFileSync(path.join(dir, FILES.ca), 'utf8'),
      cert: fs.readFileSync(path.join(dir, FILES.cert), 'utf8'),
      key: fs.readFileSync(path.join(dir, FILES.key), 'utf8'),
    };
    const expiry = Date.parse(new X509Certificate(out.cert).validTo);
    return expiry - MARGIN_MS > Date.now() ? out : null;
  } catch {
    return null;
  }
}

export async function ensureDevCertificates(dir = path.resolve('data/certs')): Promise<DevCertificates> {
  const existing = readIfValid(dir);
  if (existing) return existing;
  // Generate into a private directory, then rename: parallel test workers never see half a set.
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  const tmp = fs.mkdtempSync(`${dir}.tmp-`);
  await generateCertificates(
    path.join(tmp, FILES.ca),
    path.join(tmp, FILES.cert),
    path.join(tmp, FILES.key),
    VALIDITY_DAYS,
    ['localhost', '127.0.0.1', '::1'],
  );
  const again = readIfValid(dir);
  if (again) {
    fs.rmSync(tmp, { recursive: true, force: true });
    return again;
  }
  fs.rmSync(dir, { recursive: true, force: true });
  try {
    fs.renameSync(tmp, dir);
  } catch {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const made = readIfValid(dir);
  if (!made) throw new Error(`Could not create development certificates in ${dir}`);
  return made;
}
