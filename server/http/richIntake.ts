/**
 * What the intake keeps of a rich notification (issue 18): its `encryptedContent` and the POST's
 * `validationTokens`, shape-checked only. The intake neither validates nor decrypts (no key and no
 * JWKS inside the request): the inbound job does both before it trusts the copy.
 */
import { z } from 'zod';
import type { RichContent } from '../sync/jobs';

const b64 = z.string().min(1).max(200_000);
const encryptedContentSchema = z.object({
  data: b64,
  dataKey: b64,
  dataSignature: b64,
  encryptionCertificateId: z.string().min(1).max(128),
  encryptionCertificateThumbprint: z.string().max(200).optional(),
});

/** The body's `validationTokens` (GDC resources/changenotificationcollection.md). */
export const validationTokensSchema = z.array(z.string().min(1).max(16_000)).max(100).optional();

/** The notification's rich part, or undefined (plain, or a part that is not shaped as Graph's). */
export function richOf(
  notification: Record<string, unknown>,
  validationTokens: string[] | undefined,
): RichContent | undefined {
  if (notification.encryptedContent === undefined) return undefined;
  const parsed = encryptedContentSchema.safeParse(notification.encryptedContent);
  if (!parsed.success) return undefined;
  return { content: parsed.data, validationTokens: validationTokens ?? [] };
}
