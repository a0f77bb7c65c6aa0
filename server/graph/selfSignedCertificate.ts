/**
 * A self-signed X.509 v3 certificate for an RSA key, in DER, built by hand (RFC 5280 §4.1): Graph
 * only needs the certificate's public key to encrypt rich notifications and does not check the
 * issuer ("You can use a self-signed certificate", GDC concepts/change-notifications-with-resource-data.md,
 * "Managing encryption keys"). No certificate package is installed (@peculiar/x509 needs
 * reflect-metadata); node:crypto signs, parses and checks the result (X509Certificate).
 */
import { createHash, randomBytes, sign, X509Certificate, type KeyObject } from 'node:crypto';

const tag = (type: number, body: Buffer): Buffer =>
  Buffer.concat([Buffer.from([type]), length(body.length), body]);

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

const sequence = (...parts: Buffer[]): Buffer => tag(0x30, Buffer.concat(parts));
const set = (...parts: Buffer[]): Buffer => tag(0x31, Buffer.concat(parts));
const NULL = Buffer.from([0x05, 0x00]);

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const out = [40 * a + b];
  for (const n of rest) {
    const chunk = [n & 0x7f];
    for (let v = Math.floor(n / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift(0x80 | (v & 0x7f));
    out.push(...chunk);
  }
  return tag(0x06, Buffer.from(out));
}

/** A positive INTEGER from big-endian bytes (a leading 0 when the top bit is set). */
function integer(bytes: Buffer): Buffer {
  return tag(0x02, bytes[0] & 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);
}

/** UTCTime before 2050, GeneralizedTime from then on (RFC 5280 §4.1.2.5). */
function time(date: Date): Buffer {
  const iso = date.toISOString().replace(/[-:T]/g, '').slice(0, 14); // YYYYMMDDhhmmss
  return date.getUTCFullYear() < 2050
    ? tag(0x17, Buffer.from(`${iso.slice(2)}Z`, 'ascii'))
    : tag(0x18, Buffer.from(`${iso}Z`, 'ascii'));
}

const name = (commonName: string): Buffer =>
  sequence(set(sequence(oid('2.5.4.3'), tag(0x0c, Buffer.from(commonName, 'utf8')))));

const SHA256_WITH_RSA = sequence(oid('1.2.840.113549.1.1.11'), NULL);

export interface SelfSignedCertificate {
  /** The certificate, DER. */
  der: Buffer;
  /** SHA-1 of the DER, upper-case hex: Graph's `encryptionCertificateThumbprint`. */
  thumbprint: string;
  notBefore: Date;
  notAfter: Date;
}

export function selfSignedCertificate(input: {
  publicKey: KeyObject;
  privateKey: KeyObject;
  commonName: string;
  notBefore: Date;
  notAfter: Date;
}): SelfSignedCertificate {
  const serial = randomBytes(16);
  serial[0] &= 0x7f;
  if (serial[0] === 0) serial[0] = 1; // DER integers carry no needless leading zero byte
  const tbs = sequence(
    tag(0xa0, integer(Buffer.from([2]))), // [0] EXPLICIT version: v3
    integer(serial),
    SHA256_WITH_RSA,
    name(input.commonName),
    sequence(time(input.notBefore), time(input.notAfter)),
    name(input.commonName),
    input.publicKey.export({ type: 'spki', format: 'der' }),
  );
  const signature = sign('sha256', tbs, input.privateKey);
  const der = sequence(tbs, SHA256_WITH_RSA, tag(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const parsed = new X509Certificate(der);
  if (!parsed.verify(input.publicKey)) throw new Error('The self-signed certificate does not verify.');
  return {
    der,
    thumbprint: createHash('sha1').update(der).digest('hex').toUpperCase(),
    // Second precision, as the certificate holds them.
    notBefore: new Date(Math.floor(input.notBefore.getTime() / 1000) * 1000),
    notAfter: new Date(Math.floor(input.notAfter.getTime() / 1000) * 1000),
  };
}
