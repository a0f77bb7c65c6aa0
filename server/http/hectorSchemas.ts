import { z } from 'zod';
import { AppError } from '../errors';
import { LOAN_STATUSES } from '../hector/statuses';
import { CLOCK_PATTERN } from '../hector/localTime';
import { isValidTimeZone } from '../timeZones';
import { normalizeScheduleInput } from '../hector/scheduleInput';

/**
 * Shapes of the /api/hector bodies and queries. A body that does not match is a 400; a
 * well-formed body that breaks a booking rule is the loans core's 422.
 */
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;
export const isoInstant = z
  .string()
  .regex(ISO_WITH_ZONE, 'must be an ISO 8601 date-time with a time zone, e.g. 2026-12-01T09:00:00Z')
  .refine((v) => !Number.isNaN(Date.parse(v)), 'is not a real date');

const id = z.string().min(1).max(100);
const itemRef = z.object({ kind: z.enum(['place', 'asset']), id });
const requester = z.object({ email: z.email(), name: z.string().trim().min(1).max(200).optional() });
const notes = z.string().max(10_000).nullable();
const status = z.enum(LOAN_STATUSES);

export const newLoanBody = z.object({
  requester,
  start: isoInstant,
  end: isoInstant,
  items: z.array(itemRef).max(100),
  storeId: id.optional(),
  notes: notes.optional(),
  status: z.enum(['new', 'pending_approval']).optional(),
});

export const loanPatchBody = z.object({
  start: isoInstant.optional(),
  end: isoInstant.optional(),
  requester: requester.optional(),
  items: z.array(itemRef).max(100).optional(),
  notes: notes.optional(),
  status: status.optional(),
  /** Optimistic concurrency: the version the client read. */
  version: z.number().int().positive().optional(),
});

const interval = z
  .object({ from: z.string().regex(CLOCK_PATTERN), to: z.string().regex(CLOCK_PATTERN) })
  .refine((i) => i.from < i.to, 'an opening interval must end after it starts');
const schedule = z.preprocess(
  normalizeScheduleInput,
  z
    .object({
      mon: z.array(interval),
      tue: z.array(interval),
      wed: z.array(interval),
      thu: z.array(interval),
      fri: z.array(interval),
      sat: z.array(interval),
      sun: z.array(interval),
    })
    .partial()
    .strict()
    .nullable(),
);
const positiveOrNull = z.number().int().positive().nullable();

/** Other names people use for the same settings (Exchange's and Hector's wording). */
const ALIASES: Record<string, string> = {
  timezone: 'timeZone',
  maxLoanDurationMinutes: 'maxDurationMinutes',
  maximumDurationMinutes: 'maxDurationMinutes',
  automaticCheckOut: 'autoCheckOut',
  automaticClose: 'autoClose',
  bookingWindowInDays: 'bookingWindowDays',
};
const withAliases = (value: unknown): unknown => {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [ALIASES[k] ?? k, v]));
};

const storeFields = z.object({
  name: z.string().trim().min(1).max(200),
  timeZone: z.string().refine(isValidTimeZone, 'is not a known IANA time zone').optional(),
  schedule: schedule.optional(),
  bookingWindowDays: positiveOrNull.optional(),
  maxDurationMinutes: positiveOrNull.optional(),
  autoCheckOut: z.boolean().optional(),
  autoClose: z.boolean().optional(),
  autoReleaseMinutes: z.number().int().min(1).max(240).nullable().optional(),
  checkInBeforeMinutes: z.number().int().min(0).max(240).optional(),
  checkInAfterMinutes: z.number().int().min(0).max(240).optional(),
});
export const storeBody = z.preprocess(withAliases, storeFields);
export const storePatchBody = z.preprocess(withAliases, storeFields.partial());

const placeFields = z.object({
  name: z.string().trim().min(1).max(200),
  email: z.email().nullable().optional(),
  address: z.string().max(500).nullable().optional(),
  building: z.string().max(200).nullable().optional(),
  capacity: z.number().int().min(0).nullable().optional(),
  storeId: id.optional(),
  active: z.boolean().optional(),
  externalKey: z.string().max(500).nullable().optional(),
  schedule: schedule.optional(),
  maxDurationMinutes: positiveOrNull.optional(),
  autoCheckOut: z.boolean().nullable().optional(),
  autoClose: z.boolean().nullable().optional(),
  checkInBeforeMinutes: z.number().int().min(0).max(240).nullable().optional(),
  checkInAfterMinutes: z.number().int().min(0).max(240).nullable().optional(),
});
export const placeBody = z.preprocess(withAliases, placeFields);
export const placePatchBody = z.preprocess(withAliases, placeFields.partial());

export const assetBody = z.object({
  name: z.string().trim().min(1).max(200),
  storeId: id.optional(),
  active: z.boolean().optional(),
  category: z.string().trim().max(100).nullable().optional(),
});
export const assetPatchBody = assetBody.partial();

/** Parses or throws the 400 of the service's error shape, naming the first problem. */
export function parse<T>(schema: z.ZodType<T>, value: unknown, what = 'request body'): T {
  const result = schema.safeParse(value ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  throw new AppError('VALIDATION_FAILED', `Invalid ${what}: ${where}${issue.message}`, {
    issues: result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
  });
}

/** A query parameter given once, several times, or comma-separated, as a list. */
export function listParam(value: unknown): string[] {
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return values
    .flatMap((v) => String(v).split(','))
    .map((v) => v.trim())
    .filter((v) => v.length > 0);
}

export const loanQuery = z.object({
  from: isoInstant.optional(),
  to: isoInstant.optional(),
  placeId: id.optional(),
  status: z.array(status).optional(),
  requesterEmail: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(5000).optional(),
});

export const availabilityQuery = z
  .object({
    placeId: z.array(id),
    assetId: z.array(id),
    from: isoInstant,
    to: isoInstant,
    excludeLoanId: id.optional(),
  })
  .refine((q) => q.placeId.length + q.assetId.length > 0, 'give at least one placeId or assetId');
