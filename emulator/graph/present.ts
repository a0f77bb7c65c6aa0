/**
 * How an event leaves the emulator: times in the zone asked by `Prefer: outlook.timezone` (UTC
 * otherwise), the id asked by `Prefer: IdType`, `@odata.etag`, $select, and singleValueExtendedProperties only when $expand asks.
 */
import type * as MSGraph from '@microsoft/microsoft-graph-types';
import { badRequest } from '../errors';
import { parseDateTimeTimeZone, toDateTimeTimeZone, toIanaZone } from '../exchange/time';
import { project } from './odata';

export interface PresentOptions {
  timezone?: string;
  select: string[] | null;
  /** Ids (lower-case) of extended properties asked by $expand, or null when not expanded. */
  expandProperties: string[] | null | 'all';
  etag?: string;
  /**
   * How item ids leave: the immutable id when the request said `Prefer: IdType="ImmutableId"`
   * (the header applies to that request only, GDC concepts/outlook-immutable-id.md); as stored otherwise.
   */
  mapId?: (id: string) => string;
}

/** `singleValueExtendedProperties($filter=id eq '…')` → ['…']. */
export function parseExpand(expand: string | undefined): string[] | null | 'all' {
  if (!expand) return null;
  const m = /^singleValueExtendedProperties(?:\((.*)\))?$/i.exec(expand.trim());
  if (!m) throw badRequest(`Unsupported $expand: ${expand}`, 'BadRequest');
  if (!m[1]) return 'all';
  const ids = [...m[1].matchAll(/id\s+eq\s+'((?:[^']|'')*)'/gi)].map((x) =>
    x[1].replace(/''/g, "'").toLowerCase(),
  );
  return ids;
}

export function presentEvent(
  event: MSGraph.Event,
  opts: PresentOptions,
): Partial<MSGraph.Event> & Record<string, unknown> {
  const { singleValueExtendedProperties: props, ...rest } = event;
  const out: MSGraph.Event & Record<string, unknown> = { ...structuredClone(rest) };
  if (opts.etag) out['@odata.etag'] = opts.etag;
  if (opts.mapId) {
    if (out.id) out.id = opts.mapId(out.id);
    if (out.seriesMasterId) out.seriesMasterId = opts.mapId(out.seriesMasterId);
  }
  if (opts.timezone) {
    toIanaZone(opts.timezone); // validates
    for (const f of ['start', 'end'] as const) {
      if (out[f]) out[f] = toDateTimeTimeZone(parseDateTimeTimeZone(out[f]), opts.timezone);
    }
  }
  const selected = project(out, opts.select);
  if (opts.expandProperties) {
    const wanted = opts.expandProperties;
    const list = (props ?? []).filter((p) => wanted === 'all' || wanted.includes((p.id ?? '').toLowerCase()));
    // Graph omits the navigation property entirely when nothing matches the filter.
    if (list.length) (selected as Record<string, unknown>).singleValueExtendedProperties = list;
  }
  return selected;
}
