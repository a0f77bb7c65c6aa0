/**
 * A rich notification's copy of a room event, trusted only once its POST's validation tokens
 * passed, its certificate is ours, its signature matched and it decrypted (GDC
 * concepts/change-notifications-with-resource-data.md). Otherwise the reason, for the journal:
 * the inbound job then reads the copy from Graph as it would for a plain notification.
 */
import type * as MSGraph from '@microsoft/microsoft-graph-types';
import type { NotificationCertificates } from '../../store/notificationCertificates';
import type { RichContent } from '../jobs';
import { decryptContent } from './decrypt';
import type { ValidationTokenCheck } from './validationTokens';

/**
 * The `$select` of our rich subscriptions: what inbound reads of a room copy (sync/rules/roomCopy.ts).
 * Not the loan-id extended property: a subscription's resource cannot expand it.
 */
export const RICH_EVENT_SELECT = [
  'iCalUId',
  'type',
  'seriesMasterId',
  'originalStart',
  'isCancelled',
  'start',
  'end',
  'organizer',
  'attendees',
  'responseStatus',
  'lastModifiedDateTime',
] as const;

/** Fields every event has; a copy without one of them cannot decide (Graph or `$select` left it out). */
const REQUIRED = RICH_EVENT_SELECT.filter((f) => f !== 'seriesMasterId' && f !== 'originalStart');

export interface RichCopyDeps {
  certificates: Pick<NotificationCertificates, 'privateKey' | 'thumbprint'>;
  checkTokens: ValidationTokenCheck;
}

export type RichCopy =
  | { ok: true; event: MSGraph.Event }
  | { ok: false; reason: string; suspicious: boolean; transient?: boolean };

export async function openRichCopy(
  rich: RichContent,
  expected: { tenantId: string; clientId: string; eventId: string },
  deps: RichCopyDeps,
): Promise<RichCopy> {
  const tokens = await deps.checkTokens(rich.validationTokens, expected);
  if (!tokens.ok)
    return { ok: false, reason: tokens.reason, suspicious: !tokens.transient, transient: tokens.transient };
  const certificateId = rich.content.encryptionCertificateId;
  const key = await deps.certificates.privateKey(certificateId);
  if (!key)
    return {
      ok: false,
      reason: `certificate ${certificateId} is not ours (or no longer held)`,
      suspicious: true,
    };
  const thumbprint = rich.content.encryptionCertificateThumbprint;
  if (thumbprint && thumbprint.toUpperCase() !== (await deps.certificates.thumbprint(certificateId)))
    return {
      ok: false,
      reason: 'the certificate thumbprint is not the one of our certificate',
      suspicious: true,
    };
  const opened = decryptContent(rich.content, key);
  if (!opened.ok) return { ok: false, reason: opened.reason, suspicious: true };
  const event = opened.resource as MSGraph.Event;
  if (event.id && event.id !== expected.eventId)
    return { ok: false, reason: 'the decrypted copy is of another event', suspicious: true };
  const missing = REQUIRED.filter((f) => !(f in opened.resource));
  if (missing.length) return { ok: false, reason: `the copy lacks ${missing.join(', ')}`, suspicious: false };
  return { ok: true, event: { ...event, id: expected.eventId } };
}

/** What inbound asks of rich notifications: one copy opened, for this tenant and app. */
export interface RichCopies {
  open(rich: RichContent, eventId: string): Promise<RichCopy>;
}

export function createRichCopies(
  deps: RichCopyDeps & { identity(): Promise<{ tenantId: string; clientId: string } | null> },
): RichCopies {
  return {
    async open(rich, eventId) {
      const identity = await deps.identity();
      if (!identity) return { ok: false, reason: 'the integration is not configured', suspicious: false };
      return openRichCopy(rich, { ...identity, eventId }, deps);
    },
  };
}
