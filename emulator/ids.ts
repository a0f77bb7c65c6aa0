import { createHash, randomBytes } from 'node:crypto';

/** A GUID derived from a name, so seeded users keep their ids across restarts and resets. */
export function stableGuid(name: string): string {
  const h = createHash('sha1').update(name).digest('hex');
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** An opaque, URL-safe id in the style of Exchange item ids (they are long base64 strings). */
export function newItemId(): string {
  return 'AAMk' + randomBytes(30).toString('base64url');
}

/**
 * The immutable id of the same item (Graph's restImmutableEntryId): also an opaque base64 string,
 * never equal to the regular id (GDC concepts/outlook-immutable-id.md).
 */
export function newImmutableItemId(): string {
  return 'AAkALgAAAAAAHYQDEapmEc2byACqAC-EWg0A' + randomBytes(24).toString('base64url');
}

/** An iCalendar UID in the form Exchange uses (hex, starting with 040000008200E000…). */
export function newICalUId(): string {
  return '040000008200E00074C5B7101A82E00800000000' + randomBytes(24).toString('hex').toUpperCase();
}

export function randomToken(): string {
  return randomBytes(18).toString('base64url');
}
