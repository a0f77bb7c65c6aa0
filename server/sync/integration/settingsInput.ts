import { z } from 'zod';
import type { SettingsInput } from '../../../contract/admin';
import { AppError } from '../../errors';

/** S1: what an admin sends. The secret may be left out to keep the saved one. */
export const settingsInputSchema = z.object({
  primaryDomain: z
    .string()
    .trim()
    .toLowerCase()
    .regex(
      /^(?=.{3,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{1,62}$/,
      'must be a domain such as contoso.com',
    ),
  clientId: z
    .string()
    .trim()
    .regex(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
      'must be the application (client) id, a GUID',
    ),
  clientSecret: z.string().min(1).max(1024).optional(),
  defaultStoreId: z
    .union([z.string().trim().min(1).max(200), z.number().int()])
    .nullable()
    .optional(),
  defaultUserEmail: z.email('must be an e-mail address').trim().toLowerCase().nullable().optional(),
  ignoredTags: z.string().max(2000).optional(),
  enabled: z.boolean().optional(),
  secretExpiresAt: z
    .union(
      [z.iso.date(), z.iso.datetime({ offset: true })],
      'must be a date (YYYY-MM-DD) or an ISO 8601 instant',
    )
    .nullable()
    .optional(),
}) satisfies z.ZodType<SettingsInput>;
export type { SettingsInput };

/** The admin's settings, checked field by field: VALIDATION_FAILED names each field that is not valid. */
export function parseSettingsInput(body: unknown): SettingsInput {
  const parsed = settingsInputSchema.safeParse(body);
  if (!parsed.success) {
    throw new AppError('VALIDATION_FAILED', 'Some settings are not valid.', {
      issues: parsed.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message })),
    });
  }
  return parsed.data;
}
