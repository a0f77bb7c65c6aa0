/**
 * The resource a rich notification carries: the copy as `GET …/events/{id}?$select=…` returns it
 * in UTC (the subscription's `$select`, its id type, `@odata.etag`), never extended properties —
 * a subscription's resource cannot `$expand` them, so the loan-id property is not in rich data.
 */
import type { StoredEvent, SubscriptionRecord } from '../model';
import { presentEvent } from '../graph/present';

export function richItemParts(
  stored: StoredEvent,
  sub: SubscriptionRecord,
  etag: string,
  toImmutable: (id: string) => string,
): Record<string, unknown> {
  const select = sub.rich?.select ?? null;
  return presentEvent(stored.event, {
    timezone: 'UTC',
    // Graph always returns id (and @odata.etag) beside the selected properties.
    select: select ? [...new Set(['id', ...select])] : null,
    expandProperties: null,
    etag,
    ...(sub.immutableIds ? { mapId: toImmutable } : {}),
  });
}
