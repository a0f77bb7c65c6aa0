/**
 * /users/{id}/events, /calendar/events, /calendarView, /instances and the meeting actions.
 * GRAPH-FACTS "Rooms": listing returns singles and series masters; occurrences come from
 * /instances or calendarView; transactionId de-duplicates creates.
 */
import express, { type Request, type Response } from 'express';
import type * as MSGraph from '@microsoft/microsoft-graph-types';
import type { EmulatorContext } from '../context';
import { badRequest, GraphError } from '../errors';
import { parseDateTimeTimeZone } from '../exchange/time';
import type { UserRecord } from '../model';
import { READ_CALENDARS, requirePermission, WRITE_CALENDARS } from './auth';
import { applyPreferences, pageOf, parseFilter, parsePrefer, parseTop, query, selectFields } from './odata';
import { parseExpand, presentEvent, type PresentOptions } from './present';

/** Graph's default page size for events and calendarView. */
const EVENTS_PAGE = 10;

/** `/users/{id | userPrincipalName}`: a mail that is not the UPN is ErrorInvalidUser (docs#3979). */
export function mailboxOf(ctx: EmulatorContext, req: Request): UserRecord {
  const u = ctx.state.resolveUserKey(String(req.params.user));
  if (!u)
    throw new GraphError(404, 'ErrorInvalidUser', `The requested user '${req.params.user}' is invalid.`);
  return u;
}

export function windowOf(req: Request): { fromMs: number; toMs: number } {
  const s = query(req, 'startDateTime') ?? query(req, 'StartDateTime');
  const e = query(req, 'endDateTime') ?? query(req, 'EndDateTime');
  if (!s || !e) {
    throw badRequest(
      'This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.',
      'ErrorInvalidParameter',
    );
  }
  try {
    return { fromMs: parseDateTimeTimeZone(s), toMs: parseDateTimeTimeZone(e) };
  } catch {
    throw badRequest('The time window is not valid.', 'ErrorInvalidParameter');
  }
}

export function eventsRouter(ctx: EmulatorContext): express.Router {
  const router = express.Router();
  const { calendar, state } = ctx;

  const optionsFor = (req: Request, res: Response): PresentOptions => {
    const prefer = parsePrefer(req);
    applyPreferences(res, prefer);
    const mailboxId = mailboxOf(ctx, req).user.id!;
    return {
      ...(prefer.immutableId ? { mapId: (id: string) => state.toImmutableId(mailboxId, id) } : {}),
      timezone: prefer.timezone,
      select: selectFields(query(req, '$select')),
      expandProperties: parseExpand(query(req, '$expand')),
    };
  };

  const present = (e: MSGraph.Event, opts: PresentOptions, mailboxId: string): Record<string, unknown> => {
    const stored =
      state.mailbox(mailboxId).events.get(e.id ?? '') ??
      state.mailbox(mailboxId).events.get(e.seriesMasterId ?? '');
    return presentEvent(e, { ...opts, etag: stored ? state.etagOf(stored) : undefined });
  };

  const list = (req: Request, res: Response): void => {
    requirePermission(res, READ_CALENDARS);
    const user = mailboxOf(ctx, req);
    const opts = optionsFor(req, res);
    const filter = parseFilter(query(req, '$filter'));
    const events = calendar
      .list(user.user.id!)
      .map((s) => s.event)
      .filter((e) => filter(e as Record<string, unknown>))
      .map((e) => present(e, opts, user.user.id!));
    res.json({
      '@odata.context': `${ctx.graphUrl()}/$metadata#users('${user.user.id}')/events`,
      ...pageOf(req, events, parseTop(req) ?? EVENTS_PAGE, ctx.url()),
    });
  };
  router.get('/users/:user/events', list);
  router.get('/users/:user/calendar/events', list);

  const create = (req: Request, res: Response): void => {
    requirePermission(res, WRITE_CALENDARS);
    const user = mailboxOf(ctx, req);
    const opts = optionsFor(req, res);
    const { stored, created } = calendar.create(user.user.id!, (req.body ?? {}) as MSGraph.Event);
    res.status(created ? 201 : 200).json(present(stored.event, opts, user.user.id!));
  };
  router.post('/users/:user/events', create);
  router.post('/users/:user/calendar/events', create);

  router.get('/users/:user/calendarView', (req, res) => {
    requirePermission(res, READ_CALENDARS);
    const user = mailboxOf(ctx, req);
    const { fromMs, toMs } = windowOf(req);
    const opts = optionsFor(req, res);
    const filter = parseFilter(query(req, '$filter'));
    const events = calendar
      .calendarView(user.user.id!, fromMs, toMs)
      .filter((e) => filter(e as Record<string, unknown>))
      .map((e) => present(e, opts, user.user.id!));
    const prefer = parsePrefer(req);
    res.json(pageOf(req, events, parseTop(req) ?? prefer.maxPageSize ?? EVENTS_PAGE, ctx.url()));
  });

  router.get('/users/:user/events/:id', (req, res) => {
    requirePermission(res, READ_CALENDARS);
    const user = mailboxOf(ctx, req);
    const opts = optionsFor(req, res);
    res.json(present(calendar.get(user.user.id!, req.params.id as string), opts, user.user.id!));
  });

  router.get('/users/:user/events/:id/instances', (req, res) => {
    requirePermission(res, READ_CALENDARS);
    const user = mailboxOf(ctx, req);
    const { fromMs, toMs } = windowOf(req);
    const opts = optionsFor(req, res);
    const events = calendar
      .instances(user.user.id!, req.params.id as string, fromMs, toMs)
      .map((e) => present(e, opts, user.user.id!));
    res.json(pageOf(req, events, parseTop(req) ?? EVENTS_PAGE, ctx.url()));
  });

  router.patch('/users/:user/events/:id', (req, res) => {
    requirePermission(res, WRITE_CALENDARS);
    const user = mailboxOf(ctx, req);
    const opts = optionsFor(req, res);
    const updated = calendar.update(
      user.user.id!,
      req.params.id as string,
      (req.body ?? {}) as MSGraph.Event,
    );
    res.json(present(updated, opts, user.user.id!));
  });

  router.delete('/users/:user/events/:id', (req, res) => {
    requirePermission(res, WRITE_CALENDARS);
    const user = mailboxOf(ctx, req);
    calendar.delete(user.user.id!, req.params.id as string);
    res.status(204).end();
  });

  const RESPONSES = {
    accept: 'accepted',
    decline: 'declined',
    tentativelyAccept: 'tentativelyAccepted',
  } as const;
  router.post('/users/:user/events/:id/:action', (req, res) => {
    requirePermission(res, WRITE_CALENDARS);
    const user = mailboxOf(ctx, req);
    const action = req.params.action as string;
    if (action === 'cancel') calendar.cancel(user.user.id!, req.params.id as string);
    else if (action in RESPONSES) {
      checkResponseBody(req.body);
      calendar.respond(user.user.id!, req.params.id as string, RESPONSES[action as keyof typeof RESPONSES]);
    } else throw badRequest(`Unsupported action '${action}'.`, 'BadRequest');
    res.status(202).end();
  });

  return router;
}

/** `{comment?, sendResponse?}` of accept/decline/tentativelyAccept (Graph's event-accept body). */
function checkResponseBody(body: unknown): void {
  if (body === undefined || body === null) return;
  if (typeof body !== 'object' || Array.isArray(body)) throw badRequest('The body must be a JSON object.');
  const { comment, sendResponse } = body as { comment?: unknown; sendResponse?: unknown };
  if (comment !== undefined && comment !== null && typeof comment !== 'string')
    throw badRequest('comment must be a string.');
  if (sendResponse !== undefined && sendResponse !== null && typeof sendResponse !== 'boolean')
    throw badRequest('sendResponse must be true or false.');
}
