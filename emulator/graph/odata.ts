/**
 * The small part of OData that Graph clients use: $select, $top, $filter (eq / startswith / and),
 * Prefer headers and absolute @odata.nextLink paging.
 */
import type { Request, Response } from 'express';
import { badRequest } from '../errors';

export interface Prefer {
  timezone?: string;
  immutableId: boolean;
  maxPageSize?: number;
}

export function parsePrefer(req: Request): Prefer {
  const header = req.headers.prefer;
  const raw = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',').map((s) => s.trim());
  const out: Prefer = { immutableId: false };
  for (const p of raw) {
    const m = /^([\w.]+)\s*=\s*"?([^"]*)"?$/.exec(p);
    if (!m) continue;
    const name = m[1].toLowerCase();
    if (name === 'outlook.timezone') out.timezone = m[2];
    else if (name === 'idtype' && m[2].toLowerCase() === 'immutableid') out.immutableId = true;
    else if (name === 'odata.maxpagesize') out.maxPageSize = Math.max(1, Number(m[2]) || 0) || undefined;
  }
  return out;
}

/** Echoes the applied preferences, as Graph does in `Preference-Applied`. */
export function applyPreferences(res: Response, prefer: Prefer): void {
  const applied: string[] = [];
  if (prefer.timezone) applied.push(`outlook.timezone="${prefer.timezone}"`);
  if (prefer.immutableId) applied.push('IdType="ImmutableId"');
  if (prefer.maxPageSize) applied.push(`odata.maxpagesize=${prefer.maxPageSize}`);
  if (applied.length) res.setHeader('Preference-Applied', applied.join(', '));
}

export function query(req: Request, name: string): string | undefined {
  const q = req.query as Record<string, unknown>;
  const v = q[name] ?? q[name.replace(/^\$/, '')];
  return typeof v === 'string' ? v : undefined;
}

export function selectFields(select: string | undefined): string[] | null {
  if (!select) return null;
  return select
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export function project<T extends object>(
  obj: T,
  fields: string[] | null,
  always: string[] = ['id'],
): Partial<T> {
  if (!fields) return obj;
  const out: Record<string, unknown> = {};
  const src = obj as Record<string, unknown>;
  for (const k of Object.keys(src)) {
    if (k.startsWith('@odata')) out[k] = src[k];
  }
  for (const f of [...always, ...fields]) {
    const key = Object.keys(src).find((k) => k.toLowerCase() === f.toLowerCase());
    if (key) out[key] = src[key];
  }
  return out as Partial<T>;
}

export function parseTop(req: Request, max = 999): number | undefined {
  const top = query(req, '$top');
  if (top === undefined) return undefined;
  const n = Number(top);
  if (!Number.isInteger(n) || n < 1) throw badRequest(`Invalid value '${top}' for $top.`, 'BadRequest');
  return Math.min(n, max);
}

/** Offset-based $skiptoken: opaque to clients, which must follow nextLink as is. */
export function pageOf<T>(
  req: Request,
  items: T[],
  pageSize: number,
  absoluteBase: string,
): { value: T[]; '@odata.nextLink'?: string } {
  const token = query(req, '$skiptoken');
  const offset = token ? Number(Buffer.from(token, 'base64url').toString()) || 0 : 0;
  const value = items.slice(offset, offset + pageSize);
  if (offset + pageSize >= items.length) return { value };
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(req.query))
    if (k !== '$skiptoken' && typeof v === 'string') params.set(k, v);
  params.set('$skiptoken', Buffer.from(String(offset + pageSize)).toString('base64url'));
  return { value, '@odata.nextLink': `${absoluteBase}${req.baseUrl}${req.path}?${params.toString()}` };
}

type Predicate = (obj: Record<string, unknown>) => boolean;

function get(obj: Record<string, unknown>, path: string): unknown {
  return path.split('/').reduce<unknown>((o, k) => {
    if (o && typeof o === 'object') {
      const rec = o as Record<string, unknown>;
      const key = Object.keys(rec).find((x) => x.toLowerCase() === k.toLowerCase());
      return key ? rec[key] : undefined;
    }
    return undefined;
  }, obj);
}

function literal(raw: string): unknown {
  if (raw.startsWith("'")) return raw.slice(1, -1).replace(/''/g, "'");
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (raw === 'null') return null;
  return Number(raw);
}

/**
 * `a eq 'x'`, `a ne 'x'`, `startswith(a,'x')`, `coll/any(p:p eq 'x')` (e.g. proxyAddresses, the
 * documented way to find a user by any of its addresses), joined by `and` / `or` (no parentheses).
 */
export function parseFilter(filter: string | undefined): Predicate {
  if (!filter) return () => true;
  const orParts = filter.split(/\s+or\s+/i);
  const ors = orParts.map((part) =>
    part.split(/\s+and\s+/i).map((clause): Predicate => {
      const c = clause.trim();
      let m = /^startswith\(\s*([\w/]+)\s*,\s*('(?:[^']|'')*')\s*\)$/i.exec(c);
      if (m) {
        const [, field, lit] = m;
        return (o) =>
          String(get(o, field) ?? '')
            .toLowerCase()
            .startsWith(String(literal(lit)).toLowerCase());
      }
      m = /^([\w/]+)\/any\(\s*(\w+)\s*:\s*(\w+)\s+eq\s+('(?:[^']|'')*')\s*\)$/i.exec(c);
      if (m && m[2] === m[3]) {
        const [, field, , , lit] = m;
        const want = String(literal(lit)).toLowerCase();
        return (o) => {
          const v = get(o, field);
          return Array.isArray(v) && v.some((x) => String(x).toLowerCase() === want);
        };
      }
      m = /^([\w/]+)\s+(eq|ne)\s+('(?:[^']|'')*'|true|false|null|-?\d+(?:\.\d+)?)$/i.exec(c);
      if (m) {
        const [, field, op, lit] = m;
        const want = literal(lit);
        return (o) => {
          const v = get(o, field);
          const eq =
            typeof v === 'string' && typeof want === 'string'
              ? v.toLowerCase() === want.toLowerCase()
              : v === want;
          return op.toLowerCase() === 'eq' ? eq : !eq;
        };
      }
      throw badRequest(`Invalid filter clause: ${c}`, 'BadRequest');
    }),
  );
  return (o) => ors.some((ands) => ands.every((p) => p(o)));
}
