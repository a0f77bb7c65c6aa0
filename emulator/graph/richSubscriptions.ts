/**
 * What a subscription with resource data ("rich notifications") must carry, checked as Graph
 * checks it (GDC concepts/change-notifications-with-resource-data.md, "Creating a subscription"):
 * `includeResourceData: true` needs `encryptionCertificate` (base64 of an X.509 certificate with
 * an RSA key of 2,048–4,096 bits, "Managing encryption keys") and `encryptionCertificateId` (≤ 128
 * characters); Outlook resources need a `$select` in the resource (GDC
 * concepts/outlook-change-notifications-overview.md: "specify them as part of the resource URL …
 * using a $select"); their lifetime is at most 1 day, 1,440 minutes (GDC
 * api-reference/v1.0/resources/subscription.md, lifetime table: "Outlook … with resource data").
 */
import { createHash, X509Certificate } from 'node:crypto';
import { badRequest } from '../errors';
import type { RichCertificate } from '../notify/richContent';

export const MAX_RICH_EVENT_SUBSCRIPTION_MINUTES = 1440;

export interface RichOptions extends RichCertificate {
  /** The `$select` of the resource, lower-case property names. */
  select: string[];
}

/** `/users/{id}/events?$select=a,b` → ['a', 'b'], or null without a `$select`. */
export function selectOf(resource: string): string[] | null {
  const q = resource.indexOf('?');
  if (q < 0) return null;
  const select = new URLSearchParams(resource.slice(q + 1)).get('$select');
  if (!select) return null;
  const fields = select
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  return fields.length ? fields : null;
}

export function parseCertificate(base64: unknown, certificateId: unknown): RichCertificate {
  if (typeof base64 !== 'string' || !base64)
    throw badRequest(
      'encryptionCertificate is required when includeResourceData is true.',
      'ValidationError',
    );
  if (typeof certificateId !== 'string' || !certificateId || certificateId.length > 128)
    throw badRequest(
      'encryptionCertificateId is required (at most 128 characters) when includeResourceData is true.',
      'ValidationError',
    );
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(Buffer.from(base64, 'base64'));
  } catch {
    throw badRequest('encryptionCertificate is not a base64-encoded X.509 certificate.', 'ValidationError');
  }
  const bits = cert.publicKey.asymmetricKeyDetails?.modulusLength ?? 0;
  if (cert.publicKey.asymmetricKeyType !== 'rsa' || bits < 2048 || bits > 4096)
    throw badRequest(
      'The encryption certificate must hold an RSA key of 2048 to 4096 bits.',
      'ValidationError',
    );
  return {
    publicKey: cert.publicKey,
    certificateId,
    thumbprint: createHash('sha1').update(cert.raw).digest('hex').toUpperCase(),
  };
}

/** The rich part of a create (or null for a plain one); throws Graph's 400 when incomplete. */
export function richOptions(body: {
  includeResourceData?: boolean | null;
  encryptionCertificate?: string | null;
  encryptionCertificateId?: string | null;
  resource?: string | null;
}): RichOptions | null {
  if (body.includeResourceData !== true) return null;
  const select = selectOf(body.resource ?? '');
  if (!select)
    throw badRequest(
      'A $select is required in the resource of a subscription that includes resource data.',
      'ValidationError',
    );
  return { ...parseCertificate(body.encryptionCertificate, body.encryptionCertificateId), select };
}
