/**
 * `GET /users/{id}/calendarView/delta` (GRAPH-FACTS "Delta"): pages linked by @odata.nextLink, a
 * final @odata.deltaLink; replaying it returns exactly the events changed since (a full event, or
 * `@removed` when deleted or moved out of the window); a stale link answers 410 syncStateNotFound.
 */
import express from 'express';
import type * as MSGraph from '@microsoft/microsoft-graph-types';
import type { EmulatorContext } from '../context';
import { GraphError } from '../errors';
import { endMs, startMs } from '../exchange/calendar';
import { randomToken } from '../ids';
import { READ_CALENDARS, requirePermission } from './auth';
import { mailboxOf, windowOf } from './events';
import { applyPreferences, parsePrefer, query } from './odata';
import { presentEvent } from './present';

const DEFAULT_PAGE = 100;
/** Delta tokens older than this (emulator time) are stale. */
const DELTA_TOKEN_LIFETIME_MS = 30 * 86_400_000;

interface DeltaToken {
  m: string;
  f: number;
  t: number;
  s: number;
  e: string;
  g: number;
  at: number;
}

interface PageSession {
  items: Record<string, unknown>[];
  offset: number;
  pageSize: number;
  token: DeltaToken;
}

function stale(): GraphError {
  return new GraphError(
    410,
    'syncStateNotFound',
    'The sync state generation is not found or has expired. Please do initial sync.',
  );
}

export function deltaRouter(ctx: EmulatorContext, deltaGeneration: () => number): express.Router {
  const router = express.Router();
  const { state, calendar } = ctx;
  const sessions = new Map<string, PageSession>();

  const removed = (id: string): Record<string, unknown> => ({
    '@odata.type': '#microsoft.graph.event',
    id,
    '@removed': { reason: 'deleted' },
  });

  /** How one pass presents events: the zone and, per request, the id type (Prefer headers). */
  interface Presentation {
    tz?: string;
    immutable: boolean;
  }

  const full = (e: MSGraph.Event, how: Presentation, mailboxId: string): Record<string, unknown> => {
    const stored = state.mailbox(mailboxId).events.get(e.id!);
    const mapId = how.immutable ? (id: string) => state.toImmutableId(mailboxId, id) : undefined;
    if (e.type === 'occurrence' || e.type === 'exception') {
      // Occurrences carry little in delta (GRAPH-FACTS: rebuild them from the series master).
      return presentEvent(e, {
        timezone: how.tz,
        select: ['type', 'seriesMasterId', 'start', 'end'],
        expandProperties: null,
        mapId,
      });
    }
    return presentEvent(e, {
      timezone: how.tz,
      select: null,
      expandProperties: null,
      etag: stored ? state.etagOf(stored) : undefined,
      mapId,
    });
  };

  /** Everything in the window (initial sync), or what changed after `sinceSeq` (replay). */
  const collect = (
    mailboxId: string,
    fromMs: number,
    toMs: number,
    sinceSeq: number | null,
    how: Presentation,
  ): Record<string, unknown>[] => {
    const out: Record<string, unknown>[] = [];
    const idOf = (id: string): string => (how.immutable ? state.toImmutableId(mailboxId, id) : id);
    const inWindow = (e: MSGraph.Event): boolean => startMs(e) < toMs && endMs(e) > fromMs;
    for (const s of calendar.list(mailboxId)) {
      if (sinceSeq !== null && s.seq <= sinceSeq) continue;
      if (s.event.type === 'seriesMaster') {
        // A series appears as its occurrences and exceptions, never as its master (GRAPH-FACTS
        // "Recurring meetings", GDC concepts/delta-query-events.md); occurrences that left (cancelled,
        // dropped by a series change) come back as removals from the tombstones below.
        for (const o of calendar.expand(s, fromMs, toMs)) out.push(full(o, how, mailboxId));
      } else if (inWindow(s.event)) out.push(full(s.event, how, mailboxId));
      else if (sinceSeq !== null) out.push(removed(idOf(s.event.id!)));
    }
    if (sinceSeq !== null) {
      // An id that is back in the view (e.g. an occurrence restored by a later series change) is
      // reported once, as it is now.
      const present = new Set(out.map((e) => e.id));
      for (const t of state.mailbox(mailboxId).tombstones) {
        const id = how.immutable ? t.immutableId : t.id;
        if (t.seq > sinceSeq && !present.has(id)) {
          present.add(id);
          out.push(removed(id));
        }
      }
    }
    return out;
  };

  const respond = (res: express.Response, session: PageSession, user: string): void => {
    const page = session.items.slice(session.offset, session.offset + session.pageSize);
    session.offset += session.pageSize;
    const base = `${ctx.graphUrl()}/users/${user}/calendarView/delta`;
    const body: Record<string, unknown> = {
      '@odata.context': `${ctx.graphUrl()}/$metadata#Collection(event)`,
    };
    if (session.offset < session.items.length) {
      const skip = randomToken();
      sessions.set(skip, session);
      body['@odata.nextLink'] = `${base}?$skiptoken=${skip}`;
    } else {
      const token = Buffer.from(JSON.stringify(session.token)).toString('base64url');
      body['@odata.deltaLink'] = `${base}?$deltatoken=${token}`;
    }
    body.value = page;
    res.json(body);
  };

  router.get('/users/:user/calendarView/delta', (req, res) => {
    requirePermission(res, READ_CALENDARS);
    const user = mailboxOf(ctx, req);
    const mailboxId = user.user.id!;
    const prefer = parsePrefer(req);
    applyPreferences(res, prefer);
    const pageSize = prefer.maxPageSize ?? DEFAULT_PAGE;
    const skip = query(req, '$skiptoken');
    if (skip) {
      const session = sessions.get(skip);
      sessions.delete(skip);
      if (!session || session.token.m !== mailboxId) throw stale();
      session.pageSize = pageSize;
      respond(res, session, req.params.user as string);
      return;
    }
    const deltaToken = query(req, '$deltatoken');
    let fromMs: number;
    let toMs: number;
    let since: number | null = null;
    if (deltaToken) {
      let token: DeltaToken;
      try {
        token = JSON.parse(Buffer.from(deltaToken, 'base64url').toString()) as DeltaToken;
      } catch {
        throw stale();
      }
      const expired = ctx.clock.nowMs() - token.at > DELTA_TOKEN_LIFETIME_MS;
      if (token.m !== mailboxId || token.e !== state.epoch || token.g !== deltaGeneration() || expired)
        throw stale();
      ({ f: fromMs, t: toMs, s: since } = token);
    } else ({ fromMs, toMs } = windowOf(req));
    const seqNow = state.seq;
    const items = collect(mailboxId, fromMs, toMs, since, {
      tz: prefer.timezone,
      immutable: prefer.immutableId,
    });
    respond(
      res,
      {
        items,
        offset: 0,
        pageSize,
        token: {
          m: mailboxId,
          f: fromMs,
          t: toMs,
          s: seqNow,
          e: state.epoch,
          g: deltaGeneration(),
          at: ctx.clock.nowMs(),
        },
      },
      req.params.user as string,
    );
  });

  return router;
}
